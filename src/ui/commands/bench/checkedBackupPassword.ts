import * as vscode from 'vscode';
import { checkBackupPassword } from '../../../backup/crypto/passwordCheck';
import { WrongPasswordError } from '../../../backup/crypto/cryptoErrors';
import type { BackupSummary } from '../../../backup/format/backupFolder';
import { readManifestPlist } from '../../../backup/format/manifestPlist';
import { BackupError } from '../../../common/errors';
import { abortSignalFor, withOperationProgress } from '../../progress/withOperationProgress';
import { withBackupPassword } from '../backups/withBackupPassword';
import type { CommandDeps } from '../commandDeps';

/**
 * The password of an encrypted backup, asked once for a whole batch (the remembered one first) and checked
 * against the backup's keybag before any device is touched, so a typo cannot make every row of the bench fail.
 * Undefined for a backup that is not encrypted.
 */
export async function checkedBackupPassword(deps: CommandDeps, backup: BackupSummary): Promise<string | undefined> {
  if (backup.encrypted !== true) return undefined;
  const keybag = (await readManifestPlist(backup.dir)).backupKeyBag;
  if (!keybag) throw new BackupError(`The backup at ${backup.dir} has no BackupKeyBag in its Manifest.plist, so no password can open it.`, 'backup.keybag-missing');
  return withBackupPassword(deps, backup, async (password) => {
    const opens = await withOperationProgress(deps.operations, vscode.l10n.t('Checking the backup password'), (_report, token) =>
      checkBackupPassword(keybag, password, { signal: abortSignalFor(token) }),
    );
    if (!opens) throw new WrongPasswordError();
    return password;
  });
}
