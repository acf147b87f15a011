import * as vscode from 'vscode';
import { formatByteCount } from '../../../common/byteCount';
import { runBackup } from '../../../backup/engine/backupEngine';
import { passcodePromptThrottle } from '../../progress/passcodePromptNotice';
import { transferProgressMessage } from '../../progress/transferProgressMessage';
import { withOperationProgress } from '../../progress/withOperationProgress';
import { addBenchRows } from '../../bench/addBenchRows';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import { revealPath } from '../backups/revealPath';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from './pickDevices';

/**
 * Backs up the chosen device into the backup folder (`<folder>/<udid>/`) under a cancellable progress
 * notification, and ends with a notification offering the folder. Several devices (a multi-selection) go
 * to the bench instead, where they are backed up at the same time, one row each.
 */
export async function runDeviceBackup(deps: CommandDeps, full: boolean, node?: DeviceTreeNode, nodes?: DeviceTreeNode[]): Promise<void> {
  const devices = await devicesFor(deps, node, nodes, {
    placeHolder: full ? vscode.l10n.t('Choose the device for a full backup') : vscode.l10n.t('Choose the device to back up'),
    filter: (d) => d.facts?.paired !== false,
    noneText: vscode.l10n.t('No paired device is attached. Pair a device first.'),
  });
  if (devices.length > 1) {
    deps.logger.info('backups of a multi-selection go to the bench', { udids: devices.map((d) => d.udid).join(' '), full });
    await addBenchRows(deps.bench, devices.map((d) => d.udid), (bench, udid) => bench.addBackup(udid, { full }));
    return;
  }
  for (const device of devices) {
    const name = device.facts?.name ?? device.udid;
    const title = full ? vscode.l10n.t('Full backup of {0}', name) : vscode.l10n.t('Backing up {0}', name);
    const passcodeNotice = passcodePromptThrottle();
    const result = await withOperationProgress(deps.operations, title, (report, token) =>
      runBackup({
        mux: deps.endpoint.client,
        udid: device.udid,
        root: deps.backups.root,
        full,
        token,
        logger: deps.logger,
        onProgress: (p) => report(p.percent, transferProgressMessage(p.phase, p.filesReceived, p.bytesReceived)),
        // The backup's only notice is the passcode prompt, which a device may post again and again.
        onNotice: (text) =>
          passcodeNotice.run(() => {
            deps.logger.info(text, { udid: device.udid });
            void vscode.window.showInformationMessage(vscode.l10n.t('{0} asks for its passcode: enter it on the device to let the backup start.', name));
          }),
      }),
    );
    deps.backups.invalidate();
    const seconds = Math.max(1, Math.round(result.durationMs / 1000));
    const reveal = vscode.l10n.t('Reveal in Folder');
    const openLog = vscode.l10n.t('Open Log');
    // Not awaited: the command is done when the backup is, not when the notification is dismissed.
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('Backed up {0}: {1} files ({2}) in {3} s.', name, result.filesTransferred, formatByteCount(result.bytesTransferred), seconds),
        reveal,
        openLog,
      )
      .then((choice) => {
        if (choice === reveal) void revealPath(deps, result.backupDir);
        else if (choice === openLog) deps.log.show();
      });
  }
}
