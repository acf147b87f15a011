import * as vscode from 'vscode';
import type { EncryptionChange } from '../../../backup/encryptionSetting/backupEncryption';
import { CancelledError } from '../../../common/errors';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import { askBackupPassword } from '../../secrets/askBackupPassword';
import { confirmAction } from '../../util/confirmAction';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from '../devices/pickDevices';
import { askNewBackupPassword } from './askNewBackupPassword';
import { runEncryptionChange } from './runEncryptionChange';

/** Turn On Backup Encryption: sets a backup password on the device after a modal confirmation. */
export const enableBackupEncryption = (deps: CommandDeps, node?: DeviceTreeNode): Promise<void> => changeEncryption(deps, node, 'on');

/** Turn Off Backup Encryption: removes the backup password (the current one is needed) after a modal confirmation. */
export const disableBackupEncryption = (deps: CommandDeps, node?: DeviceTreeNode): Promise<void> => changeEncryption(deps, node, 'off');

/** Change Backup Password: replaces the device's backup password (the current one is needed) after a modal confirmation. */
export const changeBackupPassword = (deps: CommandDeps, node?: DeviceTreeNode): Promise<void> => changeEncryption(deps, node, 'change');

/**
 * The three encryption commands differ only in their texts and in which passwords they ask for: the current
 * one to turn encryption off or change it, a new one (twice) to turn it on or change it.
 */
async function changeEncryption(deps: CommandDeps, node: DeviceTreeNode | undefined, kind: EncryptionChange['kind']): Promise<void> {
  const [device] = await devicesFor(deps, node, undefined, {
    placeHolder: {
      on: vscode.l10n.t('Choose the device whose backups to encrypt'),
      off: vscode.l10n.t('Choose the device whose backups to stop encrypting'),
      change: vscode.l10n.t('Choose the device whose backup password to change'),
    }[kind],
    filter: (d) => d.facts?.paired === true && d.facts.backupEncryption === (kind !== 'on'),
    noneText: kind === 'on' ? vscode.l10n.t('No attached paired device has backup encryption off.') : vscode.l10n.t('No attached paired device has backup encryption on.'),
  });
  if (!device) return;
  const name = device.facts?.name ?? device.udid;
  const [question, detail, action] = {
    on: [
      vscode.l10n.t('Encrypt the backups of {0}?', name),
      vscode.l10n.t('Encrypted backups also keep saved passwords, Wi-Fi settings and Health data. Without the password they cannot be restored.'),
      vscode.l10n.t('Turn On Encryption'),
    ],
    off: [
      vscode.l10n.t('Stop encrypting the backups of {0}?', name),
      vscode.l10n.t('Later backups will not contain saved passwords, Wi-Fi settings or Health data. Existing encrypted backups keep their password.'),
      vscode.l10n.t('Turn Off Encryption'),
    ],
    change: [
      vscode.l10n.t('Change the backup password of {0}?', name),
      vscode.l10n.t('Later backups use the new password. Existing backups keep the password they were made with.'),
      vscode.l10n.t('Change Password'),
    ],
  }[kind];
  if (!(await confirmAction(question, detail, action))) return;
  let oldPassword = '';
  if (kind !== 'on') {
    const current = await askBackupPassword({ title: vscode.l10n.t('Current backup password of {0}', name), prompt: vscode.l10n.t('The password set when encryption was turned on.'), allowRemember: false });
    if (!current) throw new CancelledError(kind === 'off' ? 'Turning off backup encryption' : 'Changing the backup password');
    oldPassword = current.password;
  }
  const newPassword = kind === 'off' ? '' : await askNewBackupPassword(name);
  if (newPassword === undefined) return;
  const change: EncryptionChange = kind === 'on' ? { kind, newPassword } : kind === 'off' ? { kind, oldPassword } : { kind, oldPassword, newPassword };
  const title = {
    on: vscode.l10n.t('Turning on backup encryption for {0}', name),
    off: vscode.l10n.t('Turning off backup encryption for {0}', name),
    change: vscode.l10n.t('Changing the backup password of {0}', name),
  }[kind];
  await runEncryptionChange(deps, device, change, title);
}
