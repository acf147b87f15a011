import type { VirtualDevice } from '../virtualDevice';
import { saveBackupEncryptionSettings } from './encryptedBackupSettings';

/** What BackupAgent2 ends the refused ChangePassword with (ErrorCode 1, MBErrorDomain). */
export const QUIRK_REFUSAL_DESCRIPTION = 'Error setting WillEncrypt value in lockdown';

/**
 * The "the password could not be set" case, device side: after "Reset All Settings" the device will not take a new backup password
 * ("could not be set") until an unencrypted backup has completed. True while that holds; the
 * device's reason then goes to its log, as BackupAgent2 would write it.
 */
export function quirkRefusesEnabling(device: VirtualDevice): boolean {
  if (!device.resetAllSettingsQuirkArmed) return false;
  device.logger.child('BackupAgent2').warn('Refusing to enable backup encryption: no unencrypted backup has completed since "Reset All Settings" (scenario resetAllSettingsQuirk)');
  device.log.write('BackupAgent2', undefined, 'Error', 'Backup keybag not yet re-created after the settings were reset; an unencrypted backup must complete before a backup password can be set');
  device.log.write('BackupAgent2', undefined, 'Error', `${QUIRK_REFUSAL_DESCRIPTION} (MBErrorDomain/1)`);
  return true;
}

/** An unencrypted backup has completed: the quirk is over, and stays over across restarts. */
export function noteUnencryptedBackupCompleted(device: VirtualDevice): void {
  if (!device.resetAllSettingsQuirkArmed) return;
  device.resetAllSettingsQuirkArmed = false;
  saveBackupEncryptionSettings(device.state.dir, device.spec, { backupPassword: device.backupPassword, resetAllSettingsQuirkArmed: false, keybag: undefined });
  device.logger.child('BackupAgent2').info('An unencrypted backup completed; a backup password can be set again');
  device.log.write('BackupAgent2', undefined, 'Notice', 'Backup keybag re-created after an unencrypted backup; backup encryption can be enabled');
}
