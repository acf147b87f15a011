import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandDeps';
import type { DeviceLogDocuments } from './deviceLogDocuments';
import type { DeviceLogSession } from './deviceLogSession';

/** What the device log commands work with. */
export interface DeviceLogCommandContext {
  documents: DeviceLogDocuments;
  deps: CommandDeps;
}

/**
 * The session a command acts on: the document whose title button was clicked (VS Code passes its
 * URI), else the active editor's. Says so and returns undefined when neither is a device log.
 */
export function targetSession(context: DeviceLogCommandContext, arg: unknown): DeviceLogSession | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const session = context.documents.sessionOf(uri);
  if (!session) void vscode.window.showInformationMessage(vscode.l10n.t('Open a device log first (Show Device Log).'));
  return session;
}
