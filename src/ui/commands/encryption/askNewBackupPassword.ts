import * as vscode from 'vscode';

/** Asks for a new backup password twice (masked); undefined when the user cancelled. */
export async function askNewBackupPassword(deviceName: string): Promise<string | undefined> {
  const title = vscode.l10n.t('New backup password for {0}', deviceName);
  const first = await vscode.window.showInputBox({
    title,
    password: true,
    ignoreFocusOut: true,
    prompt: vscode.l10n.t('Every later backup of this device is encrypted with it. Write it down: it cannot be recovered.'),
    validateInput: (value) => (value.length === 0 ? vscode.l10n.t('Enter the password.') : undefined),
  });
  if (first === undefined) return undefined;
  const second = await vscode.window.showInputBox({
    title,
    password: true,
    ignoreFocusOut: true,
    prompt: vscode.l10n.t('Enter the new password again.'),
    validateInput: (value) => (value === first ? undefined : vscode.l10n.t('The passwords are not the same.')),
  });
  return second === undefined ? undefined : first;
}
