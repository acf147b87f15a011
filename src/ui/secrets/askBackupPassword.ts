import * as vscode from 'vscode';

/** What the password box returned. */
export interface PasswordAnswer {
  password: string;
  /** The user switched on "remember for this backup". */
  remember: boolean;
}

/**
 * Asks for a backup password in a masked input box. A toggle button in the box opts in to
 * remembering it for this backup (off by default); nothing is stored by this function.
 */
export function askBackupPassword(options: { title: string; prompt: string; allowRemember: boolean }): Promise<PasswordAnswer | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    let remember = false;
    const rememberOff: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('circle-large-outline'), tooltip: vscode.l10n.t('Remember the password for this backup (SecretStorage)') };
    const rememberOn: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('pass-filled'), tooltip: vscode.l10n.t('The password will be remembered for this backup; click to not remember it') };
    const describe = (): void => {
      box.prompt = remember ? `${options.prompt} ${vscode.l10n.t('(It will be remembered for this backup.)')}` : options.prompt;
      if (options.allowRemember) box.buttons = [remember ? rememberOn : rememberOff];
    };
    box.title = options.title;
    box.password = true;
    box.ignoreFocusOut = true;
    box.placeholder = vscode.l10n.t('Backup password');
    describe();
    let answered = false;
    box.onDidTriggerButton(() => {
      remember = !remember;
      describe();
    });
    box.onDidChangeValue(() => (box.validationMessage = undefined));
    box.onDidAccept(() => {
      if (!box.value) {
        box.validationMessage = vscode.l10n.t('Enter the password.');
        return;
      }
      answered = true;
      resolve({ password: box.value, remember });
      box.hide();
    });
    box.onDidHide(() => {
      if (!answered) resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}
