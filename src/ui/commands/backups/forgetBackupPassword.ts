import * as vscode from 'vscode';
import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { backupFor } from './pickBackup';

/** Forget Password: removes a remembered backup password from SecretStorage. */
export async function forgetBackupPassword(deps: CommandDeps, node?: BackupTreeNode): Promise<void> {
  const backup = await backupFor(deps, node, { placeHolder: vscode.l10n.t('Choose the backup whose password to forget'), filter: (b) => b.encrypted === true });
  if (!backup) return;
  const had = (await deps.passwords.get(backup.dir)) !== undefined;
  await deps.passwords.forget(backup.dir);
  void vscode.window.showInformationMessage(
    had ? vscode.l10n.t('The password of this backup is no longer remembered.') : vscode.l10n.t('No password was remembered for this backup.'),
  );
}
