import * as vscode from 'vscode';
import { CancelledError } from '../../../common/errors';
import { askBackupPassword } from '../../secrets/askBackupPassword';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from '../devices/pickDevices';
import { askNewBackupPassword } from './askNewBackupPassword';
import { runEncryptionChange } from './runEncryptionChange';

/** Change Backup Password: replaces the device's backup password (the current one is needed) after a modal confirmation. */
export async function changeBackupPassword(deps: CommandDeps, node?: DeviceTreeNode): Promise<void> {
  const [device] = await devicesFor(deps, node, undefined, {
    placeHolder: vscode.l10n.t('Choose the device whose backup password to change'),
    filter: (d) => d.facts?.paired === true && d.facts.backupEncryption === true,
    noneText: vscode.l10n.t('No attached paired device has backup encryption on.'),
  });
  if (!device) return;
  const name = device.facts?.name ?? device.udid;
  const change = vscode.l10n.t('Change Password');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Change the backup password of {0}?', name),
    { modal: true, detail: vscode.l10n.t('Later backups use the new password. Existing backups keep the password they were made with.') },
    change,
  );
  if (answer !== change) return;
  const current = await askBackupPassword({ title: vscode.l10n.t('Current backup password of {0}', name), prompt: vscode.l10n.t('The password set when encryption was turned on.'), allowRemember: false });
  if (!current) throw new CancelledError('Changing the backup password');
  const next = await askNewBackupPassword(name);
  if (next === undefined) return;
  await runEncryptionChange(deps, device, { kind: 'change', oldPassword: current.password, newPassword: next }, vscode.l10n.t('Changing the backup password of {0}', name));
}
