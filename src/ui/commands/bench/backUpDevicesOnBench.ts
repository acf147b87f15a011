import * as vscode from 'vscode';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import type { CommandDeps } from '../commandDeps';
import { addBenchRows } from './addBenchRows';
import { pickBenchDevices } from './pickBenchDevices';

/** Puts a backup of each device on the bench, where they run side by side (the jobs setting says how many at once). */
export async function backUpOnBench(deps: CommandDeps, devices: readonly MonitoredDevice[], full = false): Promise<void> {
  deps.logger.info('bench backups requested', { udids: devices.map((d) => d.udid).join(' '), full });
  await addBenchRows(deps, devices.map((d) => d.udid), (bench, udid) => bench.addBackup(udid, { full }));
}

/** "Back Up Devices on the Bench…": ticks several attached devices (none at first) and backs them up at once. */
export async function backUpDevicesOnBench(deps: CommandDeps): Promise<void> {
  const picked = await pickBenchDevices(deps, {
    title: vscode.l10n.t('Back up devices on the bench'),
    filter: (d) => d.facts?.paired !== false,
    noneText: vscode.l10n.t('No paired device is attached. Pair a device first.'),
  });
  if (!picked) return;
  await backUpOnBench(deps, picked.devices);
}
