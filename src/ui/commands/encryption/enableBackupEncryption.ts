import * as vscode from 'vscode';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from '../devices/pickDevices';
import { askNewBackupPassword } from './askNewBackupPassword';
import { runEncryptionChange } from './runEncryptionChange';

/** Turn On Backup Encryption: sets a backup password on the device after a modal confirmation. */
export async function enableBackupEncryption(deps: CommandDeps, node?: DeviceTreeNode): Promise<void> {
  const [device] = await devicesFor(deps, node, undefined, {
    placeHolder: vscode.l10n.t('Choose the device whose backups to encrypt'),
    filter: (d) => d.facts?.paired === true && d.facts.backupEncryption === false,
    noneText: vscode.l10n.t('No attached paired device has backup encryption off.'),
  });
  if (!device) return;
  const name = device.facts?.name ?? device.udid;
  const turnOn = vscode.l10n.t('Turn On Encryption');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Encrypt the backups of {0}?', name),
    { modal: true, detail: vscode.l10n.t('Encrypted backups also keep saved passwords, Wi-Fi settings and Health data. Without the password they cannot be restored.') },
    turnOn,
  );
  if (answer !== turnOn) return;
  const password = await askNewBackupPassword(name);
  if (password === undefined) return;
  await runEncryptionChange(deps, device, { kind: 'on', newPassword: password }, vscode.l10n.t('Turning on backup encryption for {0}', name));
}
