import * as vscode from 'vscode';
import { backupName } from '../../../backup/format/backupFolder';
import type { BenchRestorePlan } from '../../../kitting/kittingBench';
import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import { addBenchRows } from '../../bench/addBenchRows';
import { backupFor } from '../backups/pickBackup';
import type { CommandDeps } from '../commandDeps';
import { askRestoreOptions } from '../restore/askRestoreOptions';
import { checkedBackupPassword } from './checkedBackupPassword';
import { confirmBatchRestore } from './confirmBatchRestore';
import { pickBenchDevices } from './pickBenchDevices';

/**
 * "Restore Backup to Several Devices…", the kitting workflow: one backup, several targets (never offered: the
 * backup's own device), and optionally every device in Setup Assistant attached from now on. The password and the
 * options are asked once, then one modal names every target; each device then gets a row on the bench, where its
 * restore checks run and show, and only the devices that pass are restored (several at once).
 */
export async function restoreBackupToDevices(deps: CommandDeps, node?: BackupTreeNode): Promise<void> {
  const backup = await backupFor(deps, node, { placeHolder: vscode.l10n.t('Choose the backup to restore to several devices'), filter: (b) => b.complete });
  if (!backup) return;
  const own = backup.udid?.toLowerCase();
  const picked = await pickBenchDevices(deps, {
    title: vscode.l10n.t('Restore {0} to these devices (everything on them will be replaced)', backupName(backup)),
    filter: (d) => d.facts?.paired !== false && d.udid.toLowerCase() !== own,
    noneText: vscode.l10n.t('No other paired device is attached. Pair a device first.'),
    fromNowOn: {
      label: vscode.l10n.t('Every device attached from now on'),
      detail: vscode.l10n.t('Only devices still in Setup Assistant, never a device already set up; until the bench is cleared.'),
    },
  });
  if (!picked) return;
  const password = await checkedBackupPassword(deps, backup);
  const count = picked.devices.length;
  const options = await askRestoreOptions(count === 1 && !picked.fromNowOn ? (picked.devices[0].facts?.name ?? picked.devices[0].udid) : vscode.l10n.t('several devices'));
  if (!options) return;
  if (!(await confirmBatchRestore(backup, picked.devices, picked.fromNowOn, deps.locale))) return;

  const plan: BenchRestorePlan = { backupDir: backup.dir, password, ...options };
  deps.logger.info('bench restore confirmed', { backup: backup.dir, udids: picked.devices.map((d) => d.udid).join(' '), fromNowOn: picked.fromNowOn, ...options });
  await addBenchRows(deps.bench, picked.devices.map((d) => d.udid), (bench, udid) => bench.addRestore(udid, plan));
  if (picked.fromNowOn) await deps.benchAutomation.restoreToNextDevices(backup, plan);
}
