import * as os from 'node:os';
import * as vscode from 'vscode';
import type { CommandDeps } from '../commandDeps';
import { targetDeviceLogSession } from './targetDeviceLogSession';

const two = (n: number) => String(n).padStart(2, '0');

/** "Support iPhone 2026-11-23 1829.log": where the device and the moment are obvious. */
function suggestedName(deviceName: string, now: Date): string {
  const safe = deviceName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-');
  return `${safe} ${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}${two(now.getMinutes())}.log`;
}

/**
 * Save Device Log As: writes every kept line that passes the current filter (not only the visible
 * tail) to a .log file, which reopens with the device log highlighting.
 */
export async function saveDeviceLog(deps: CommandDeps, uri?: vscode.Uri): Promise<void> {
  const session = targetDeviceLogSession(deps, uri);
  if (!session) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, suggestedName(session.deviceName, new Date())),
    filters: { [vscode.l10n.t('Log files')]: ['log'], [vscode.l10n.t('Device logs')]: ['devicelog'] },
    title: vscode.l10n.t({ message: 'Save the log of {0}', args: [session.deviceName], comment: ['{0} is the device name'] }),
  });
  if (!target) return;
  const text = session.view.matchingText();
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  const lines = text ? text.split('\n').length - 1 : 0;
  const open = vscode.l10n.t('Open');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t({ message: 'Saved {0} lines to {1}.', args: [lines, target.fsPath], comment: ['{0} is a number of lines, {1} a file path'] }), open);
  if (choice === open) await vscode.window.showTextDocument(target);
}
