import * as vscode from 'vscode';
import { checkBackupPassword } from '../../../backup/crypto/passwordCheck';
import { WrongPasswordError, isWrongPasswordError } from '../../../backup/crypto/cryptoErrors';
import { FORGOTTEN_PASSWORD_GUIDANCE } from '../../../backup/encryptionSetting/forgottenPassword';
import { backupName } from '../../../backup/format/backupFolder';
import { readManifestPlist } from '../../../backup/format/manifestPlist';
import { BackupError } from '../../../common/errors';
import { abortSignalFor, withOperationProgress } from '../../progress/withOperationProgress';
import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import { uiLanguage } from '../../util/uiLanguage';
import type { CommandDeps } from '../commandDeps';
import { backupFor } from './pickBackup';
import { withBackupPassword } from './withBackupPassword';

/** Verify Password: tells whether a password opens an encrypted backup, without reading any file. */
export async function verifyBackupPassword(deps: CommandDeps, node?: BackupTreeNode): Promise<void> {
  const backup = await backupFor(deps, node, { placeHolder: vscode.l10n.t('Choose the encrypted backup'), filter: (b) => b.encrypted === true });
  if (!backup) return;
  const keybag = (await readManifestPlist(backup.dir)).backupKeyBag;
  if (!keybag) throw new BackupError(`The backup at ${backup.dir} has no BackupKeyBag in its Manifest.plist, so no password can open it.`, 'backup.keybag-missing');
  try {
    await withBackupPassword(deps, backup, async (password) => {
      const ok = await withOperationProgress(deps.operations, vscode.l10n.t('Checking the backup password'), (_report, token) =>
        checkBackupPassword(keybag, password, { signal: abortSignalFor(token) }),
      );
      if (!ok) throw new WrongPasswordError();
    });
  } catch (err) {
    if (!isWrongPasswordError(err)) throw err;
    deps.logger.info('backup password is wrong', { backup: backup.dir });
    const tryAgain = vscode.l10n.t('Try Again');
    const forgot = vscode.l10n.t('Forgot the Password?');
    void vscode.window.showWarningMessage(vscode.l10n.t('The password does not open this backup.'), tryAgain, forgot).then((choice) => {
      if (choice === tryAgain) void vscode.commands.executeCommand('iosbr.backups.verifyPassword', node);
      else if (choice === forgot) {
        const guidance = FORGOTTEN_PASSWORD_GUIDANCE[uiLanguage(deps.locale)];
        void vscode.window.showInformationMessage(guidance[0], { modal: true, detail: guidance.slice(1).map((l) => l.trim()).join('\n') });
      }
    });
    return;
  }
  deps.logger.info('backup password verified', { backup: backup.dir });
  void vscode.window.showInformationMessage(vscode.l10n.t('The password opens the backup of {0}.', backupName(backup)));
}
