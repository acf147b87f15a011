import * as vscode from 'vscode';
import { backupName, describeBackup, type BackupSummary } from '../../../backup/format/backupFolder';
import { MuxError } from '../../../common/errors';
import { selectionRequestFromArgs } from '../../compat/selectionRequest';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import { backupFor } from '../backups/pickBackup';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from '../devices/pickDevices';

/** The backup to restore and the device it will overwrite. */
export interface RestorePair {
  backup: BackupSummary;
  target: MonitoredDevice;
}

/**
 * The backup and target a restore works on, from wherever the command was started: a backup node (the
 * target is picked), a device node (the backup is picked), the compatibility panel's pair, or the palette
 * (both are picked). Returns undefined when the engineer dismissed a pick.
 */
export async function chooseRestorePair(deps: CommandDeps, node: unknown, nodes: unknown): Promise<RestorePair | undefined> {
  const request = selectionRequestFromArgs(node, nodes);
  const backup =
    request.source?.kind === 'backup'
      ? await describeBackup(request.source.dir)
      : await backupFor(deps, undefined, { placeHolder: vscode.l10n.t('Choose the backup to restore') });
  if (!backup) return undefined;
  if (request.targetUdid !== undefined) {
    await deps.monitor.ensureStarted();
    const target = deps.monitor.device(request.targetUdid);
    if (!target) throw new MuxError(`The device ${request.targetUdid} is not attached; attach it and try again.`, 'usbmux.no-device', deps.endpoint.addressText);
    return { backup, target };
  }
  const [target] = await devicesFor(deps, undefined, undefined, {
    placeHolder: vscode.l10n.t('Choose the device to restore {0} to (everything on it will be replaced)', backupName(backup)),
    filter: (d) => d.facts?.paired !== false,
    noneText: vscode.l10n.t('No paired device is attached. Pair a device first.'),
  });
  return target ? { backup, target } : undefined;
}
