import * as vscode from 'vscode';
import { unlockEncryptedBackup } from '../../../backup/crypto/encryptedBackupSource';
import type { BackupSummary } from '../../../backup/format/backupFolder';
import { BackupReader } from '../../../backup/format/backupReader';
import { abortSignalFor, withOperationProgress } from '../../progress/withOperationProgress';
import type { CommandDeps } from '../commandDeps';
import { withBackupPassword } from './withBackupPassword';

/** Opens a backup for listing or extraction; an encrypted one is unlocked with its password first. */
export async function openBackupReader(deps: CommandDeps, backup: BackupSummary): Promise<BackupReader> {
  if (backup.encrypted !== true) return BackupReader.open(backup.dir);
  return withBackupPassword(deps, backup, async (password) => {
    const unlocked = await withOperationProgress(deps.operations, vscode.l10n.t('Unlocking the encrypted backup'), (_report, token) =>
      unlockEncryptedBackup(backup.dir, password, abortSignalFor(token)),
    );
    return BackupReader.open(backup.dir, unlocked.source);
  });
}
