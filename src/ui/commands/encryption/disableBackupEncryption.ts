import * as vscode from 'vscode';
import { CancelledError } from '../../../common/errors';
import { askBackupPassword } from '../../secrets/askBackupPassword';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from '../devices/pickDevices';
import { runEncryptionChange } from './runEncryptionChange';

/** Turn Off Backup Encryption: removes the backup password (the current one is needed) after a modal confirmation. */
export async function disableBackupEncryption(deps: CommandDeps, node?: DeviceTreeNode): Promise<void> {
  const [device] = await devicesFor(deps, node, undefined, {
    placeHolder: vscode.l10n.t('Choose the device whose backups to stop encrypting'),
    filter: (d) => d.facts?.paired === true && d.facts.backupEncryption === true,
    noneText: vscode.l10n.t('No attached paired device has backup encryption on.'),
  });
  if (!device) return;
  const name = device.facts?.name ?? device.udid;
  const turnOff = vscode.l10n.t('Turn Off Encryption');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Stop encrypting the backups of {0}?', name),
    { modal: true, detail: vscode.l10n.t('Later backups will not contain saved passwords, Wi-Fi settings or Health data. Existing encrypted backups keep their password.') },
    turnOff,
  );
  if (answer !== turnOff) return;
  const current = await askBackupPassword({ title: vscode.l10n.t('Current backup password of {0}', name), prompt: vscode.l10n.t('The password set when encryption was turned on.'), allowRemember: false });
  if (!current) throw new CancelledError('Turning off backup encryption');
  await runEncryptionChange(deps, device, { kind: 'off', oldPassword: current.password }, vscode.l10n.t('Turning off backup encryption for {0}', name));
}
