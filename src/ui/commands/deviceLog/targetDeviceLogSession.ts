import * as vscode from 'vscode';
import type { DeviceLogSession } from '../../deviceLog/deviceLogSession';
import type { CommandDeps } from '../commandDeps';

/**
 * The session a device log command acts on: the document whose title button was clicked (VS Code
 * passes its URI), else the active editor's. Says so and returns undefined when neither is a device log.
 */
export function targetDeviceLogSession(deps: CommandDeps, arg: unknown): DeviceLogSession | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const session = deps.deviceLogs.sessionOf(uri);
  if (!session) void vscode.window.showInformationMessage(vscode.l10n.t('Open a device log first (Show Device Log).'));
  return session;
}
