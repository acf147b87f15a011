import * as path from 'node:path';
import * as vscode from 'vscode';
import { isWrongPasswordError } from '../../../backup/crypto/cryptoErrors';
import { formatByteCount } from '../../../common/byteCount';
import { backupName, describeBackup, type BackupSummary } from '../../../backup/format/backupFolder';
import type { BackupHealth } from '../../../backup/verify/backupHealth';
import { verifyBackup as verifyBackupFolder } from '../../../backup/verify/verifyBackup';
import { CancelledError } from '../../../common/errors';
import { backupHealthReport, backupHealthTitle } from '../../backups/backupHealthReport';
import { abortSignalFor, withOperationProgress } from '../../progress/withOperationProgress';
import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { backupFor } from './pickBackup';
import { withBackupPassword } from './withBackupPassword';

/**
 * Verify Backup: the full health check of a backup (plists, Status, every file's content and, when
 * encrypted, every file's key and padding) with progress and Cancel, reported in a read-only Markdown
 * document. Invoked on a backup node, with a backup folder's path (the compatibility panel's button),
 * or from the palette (a backup is picked).
 */
export async function verifyBackup(deps: CommandDeps, target?: BackupTreeNode | string): Promise<void> {
  const backup = await backupToVerify(deps, target);
  if (!backup) return;
  const name = backupName(backup);
  const check = (password: string | undefined): Promise<BackupHealth> =>
    withOperationProgress(deps.operations, vscode.l10n.t('Verifying the backup of {0}', name), async (report, token) => {
      try {
        return await verifyBackupFolder(backup.dir, {
          level: 'full',
          password,
          signal: abortSignalFor(token),
          onProgress: (p) =>
            report(
              p.filesTotal > 0 ? (p.filesChecked / p.filesTotal) * 100 : undefined,
              vscode.l10n.t('{0} of {1} files, {2}', p.filesChecked, p.filesTotal, formatByteCount(p.bytesChecked)),
            ),
        });
      } catch (err) {
        if (token.isCancellationRequested) throw new CancelledError(vscode.l10n.t('The backup check'));
        throw err;
      }
    });
  let health: BackupHealth;
  try {
    health = backup.encrypted === true ? await withBackupPassword(deps, backup, check) : await check(undefined);
  } catch (err) {
    if (!isWrongPasswordError(err)) throw err;
    // A wrong password is about the password, not the backup: no list of "damaged" files.
    deps.logger.info('backup check: the password does not open the backup', { backup: backup.dir });
    const tryAgain = vscode.l10n.t('Try Again');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('The password does not open this backup, so its files were not checked.'), tryAgain)
      .then((choice) => choice === tryAgain && vscode.commands.executeCommand('iosbr.backups.verify', backup.dir));
    return;
  }
  // A password remembered just now is announced by the password store: the Backups view re-reads this backup by itself.
  deps.logger.info('backup checked', { backup: backup.dir, healthy: health.healthy, problems: health.problems.length + (health.problemsNotListed ?? 0), files: health.filesChecked });
  await deps.backupHealthReports.show(backupHealthTitle(backup), backupHealthReport(health, backup, new Date(), deps.locale));
  if (!health.healthy) void vscode.window.showWarningMessage(vscode.l10n.t('The backup of {0} is damaged: the report lists the problems.', name));
}

/** The backup the command works on: the clicked node's, the one at the given folder, or one picked from the backup folder. */
async function backupToVerify(deps: CommandDeps, target: BackupTreeNode | string | undefined): Promise<BackupSummary | undefined> {
  if (typeof target === 'string') {
    const dir = path.resolve(target);
    return (await deps.backups.list().catch(() => [])).find((b) => path.resolve(b.dir) === dir) ?? (await describeBackup(dir));
  }
  if (target && typeof target === 'object' && 'kind' in target && target.kind === 'detail') return target.backup.model.summary;
  return backupFor(deps, target, { placeHolder: vscode.l10n.t('Choose the backup to verify') });
}
