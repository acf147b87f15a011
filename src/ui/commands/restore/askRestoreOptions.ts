import * as vscode from 'vscode';

/** The restore options a person chooses, in the restore engine's terms. */
export interface RestoreChoices {
  reboot: boolean;
  restoreSystemFiles: boolean;
  preserveSettings: boolean;
  removeItemsNotRestored: boolean;
  copyFirst: boolean;
  skipApps: boolean;
}

type ChoiceKey = keyof RestoreChoices;

/**
 * Asks which restore options to use in one multi-select list, with the defaults a support engineer wants
 * ticked (restart afterwards, reinstall apps). Returns undefined when the list was dismissed.
 */
export async function askRestoreOptions(deviceName: string): Promise<RestoreChoices | undefined> {
  const items: (vscode.QuickPickItem & { key: ChoiceKey; picked: boolean })[] = [
    { key: 'reboot', picked: true, label: vscode.l10n.t('Restart the device when the restore is done'), detail: vscode.l10n.t('Without a restart, the next restore fails with error 102.') },
    { key: 'restoreSystemFiles', picked: false, label: vscode.l10n.t('Restore system files too') },
    { key: 'preserveSettings', picked: false, label: vscode.l10n.t("Keep the device's current settings") },
    { key: 'removeItemsNotRestored', picked: false, label: vscode.l10n.t('Remove items on the device that the backup does not contain') },
    { key: 'copyFirst', picked: false, label: vscode.l10n.t('Let the device copy the backup before restoring it') },
    { key: 'skipApps', picked: false, label: vscode.l10n.t('Do not reinstall the apps of the backup') },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    ignoreFocusOut: true,
    title: vscode.l10n.t('Restore options for {0}', deviceName),
    placeHolder: vscode.l10n.t('Tick the options, then press Enter'),
  });
  if (!picked) return undefined;
  const on = new Set(picked.map((p) => p.key));
  return {
    reboot: on.has('reboot'),
    restoreSystemFiles: on.has('restoreSystemFiles'),
    preserveSettings: on.has('preserveSettings'),
    removeItemsNotRestored: on.has('removeItemsNotRestored'),
    copyFirst: on.has('copyFirst'),
    skipApps: on.has('skipApps'),
  };
}
