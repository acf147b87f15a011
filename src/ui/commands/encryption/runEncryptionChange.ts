import * as vscode from 'vscode';
import { changeBackupEncryption, isPasswordCouldNotBeSetError, type EncryptionChange } from '../../../backup/encryptionSetting/backupEncryption';
import { recoverPasswordCouldNotBeSet, type RecoveryStep } from '../../../backup/encryptionSetting/passwordRecovery';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import { withOperationProgress } from '../../progress/withOperationProgress';
import { confirmAction } from '../../util/confirmAction';
import type { CommandDeps } from '../commandDeps';

function stepText(step: RecoveryStep): string {
  return {
    'unencrypted-backup': vscode.l10n.t('Step 1 of 4: an unencrypted backup…'),
    'set-password': vscode.l10n.t('Step 2 of 4: setting the password again…'),
    'encrypted-backup': vscode.l10n.t('Step 3 of 4: a full encrypted backup…'),
    verify: vscode.l10n.t('Step 4 of 4: checking that the password opens the backup…'),
  }[step];
}

/**
 * Sends one encryption change to the device under a progress notification (the device may ask for
 * its passcode), then re-reads its facts. When the device refuses a valid new password (the
 * "password could not be set" case after Reset All Settings), offers the documented workaround.
 */
export async function runEncryptionChange(deps: CommandDeps, device: MonitoredDevice, change: EncryptionChange, title: string): Promise<void> {
  const name = device.facts?.name ?? device.udid;
  try {
    // The device decides and may wait for its passcode; the request cannot be withdrawn once sent.
    await withOperationProgress(
      deps.operations,
      title,
      (report) =>
        changeBackupEncryption(deps.endpoint.client, device.udid, change, {
          logger: deps.logger,
          onNotice: () => report(undefined, vscode.l10n.t('If {0} asks for its passcode, enter it on the device.', name)),
        }),
      { cancellable: false },
    );
  } catch (err) {
    if (!isPasswordCouldNotBeSetError(err) || change.kind !== 'on') throw err;
    deps.logger.warn(err.message, { udid: device.udid });
    const detail = vscode.l10n.t('This happens after "Reset All Settings" until an unencrypted backup has completed. The workaround makes an unencrypted backup, sets the same password again, makes a full encrypted backup and checks that the password opens it.');
    if (!(await confirmAction(vscode.l10n.t('{0} refused to set the backup password.', name), detail, vscode.l10n.t('Run the Workaround')))) return;
    await withOperationProgress(deps.operations, vscode.l10n.t('Setting the backup password of {0}', name), (report, token) =>
      recoverPasswordCouldNotBeSet({
        mux: deps.endpoint.client,
        udid: device.udid,
        root: deps.backups.root,
        password: change.newPassword,
        token,
        logger: deps.logger,
        onStep: (step) => report(undefined, stepText(step)),
        onProgress: (p) => report(p.percent),
      }),
    );
    deps.backups.invalidate();
  }
  await deps.monitor.refreshFacts(device.udid);
  const done =
    change.kind === 'on'
      ? vscode.l10n.t('Backups of {0} are now encrypted.', name)
      : change.kind === 'off'
        ? vscode.l10n.t('Backups of {0} are no longer encrypted.', name)
        : vscode.l10n.t('The backup password of {0} was changed.', name);
  void vscode.window.showInformationMessage(done);
}
