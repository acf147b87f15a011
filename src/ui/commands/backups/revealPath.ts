import * as vscode from 'vscode';
import type { CommandDeps } from '../commandDeps';

/**
 * Shows a local folder or file to the user: in the OS file manager when VS Code runs on this
 * machine; in a browser or remote window (where the OS cannot be reached) the path is copied instead.
 */
export async function revealPath(deps: CommandDeps, fsPath: string): Promise<void> {
  if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(fsPath));
    return;
  }
  await deps.clipboard.writeText(fsPath);
  void vscode.window.showInformationMessage(vscode.l10n.t('This window cannot open the file manager; the path was copied: {0}', fsPath));
}
