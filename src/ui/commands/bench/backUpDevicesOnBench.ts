import * as vscode from 'vscode';
import { addBenchRows } from '../../bench/addBenchRows';
import type { CommandDeps } from '../commandDeps';
import { pickBenchDevices } from './pickBenchDevices';

/**
 * "Back Up Devices on the Bench…": ticks several attached devices (none at first) and puts a backup of each on the
 * bench, where they run side by side (the jobs setting says how many at once).
 */
export async function backUpDevicesOnBench(deps: CommandDeps): Promise<void> {
  const picked = await pickBenchDevices(deps, {
    title: vscode.l10n.t('Back up devices on the bench'),
    filter: (d) => d.facts?.paired !== false,
    noneText: vscode.l10n.t('No paired device is attached. Pair a device first.'),
  });
  if (!picked) return;
  deps.logger.info('bench backups requested', { udids: picked.devices.map((d) => d.udid).join(' ') });
  await addBenchRows(deps.bench, picked.devices.map((d) => d.udid), (bench, udid) => bench.addBackup(udid));
}
