import * as path from 'node:path';
import * as vscode from 'vscode';
import { isWrongPasswordError } from '../../../backup/crypto/cryptoErrors';
import type { BackupSummary } from '../../../backup/format/backupFolder';
import { CancelledError } from '../../../common/errors';
import { askBackupPassword } from '../../secrets/askBackupPassword';
import type { CommandDeps } from '../commandDeps';

/**
 * Runs `attempt` with the backup's password: the remembered one first (forgotten if it no longer
 * works), else one typed in a masked box. A typed password is remembered only when the user opted
 * in and it worked. A wrong typed password rejects with the WrongPasswordError from `attempt`.
 */
export async function withBackupPassword<T>(deps: CommandDeps, backup: BackupSummary, attempt: (password: string) => Promise<T>): Promise<T> {
  const remembered = await deps.passwords.get(backup.dir);
  if (remembered !== undefined) {
    try {
      return await attempt(remembered);
    } catch (err) {
      if (!isWrongPasswordError(err)) throw err;
      await deps.passwords.forget(backup.dir);
      deps.logger.info('remembered backup password no longer works; forgotten', { backup: backup.dir });
    }
  }
  const answer = await askBackupPassword({
    title: vscode.l10n.t('Password of the backup of {0}', backup.deviceName ?? path.basename(backup.dir)),
    prompt: vscode.l10n.t('The backup password set on the device when encryption was turned on.'),
    allowRemember: true,
  });
  if (!answer) throw new CancelledError('Password entry');
  const result = await attempt(answer.password);
  if (answer.remember) {
    await deps.passwords.remember(backup.dir, answer.password);
    deps.logger.info('backup password remembered in SecretStorage', { backup: backup.dir });
  }
  return result;
}
