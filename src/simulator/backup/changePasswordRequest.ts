import { createHash, timingSafeEqual } from 'node:crypto';
import { getDict, type PlistDict, type PlistValue } from '../../plist';
import { buildProcessMessage } from '../../services/deviceLinkCodec';
import type { VirtualDevice } from '../virtualDevice';
import { QUIRK_REFUSAL_DESCRIPTION, quirkRefusesEnabling } from './changePasswordQuirk';
import type { DeviceLinkSession } from './deviceLinkSession';
import { forgetDeviceBackupKeybag } from './encryptedBackupKeybag';
import { saveBackupEncryptionSettings } from './encryptedBackupSettings';
import { DEVICE_RESTARTING_DESCRIPTION, MB_ERROR, mbErrorDescription } from './mobileBackupErrors';

/** MBErrorDomain code of a wrong current backup password (lid#996). */
const INVALID_PASSWORD = 207;
/** Posted after WillEncrypt changed; hosts observe it (docs/protocol/mobilebackup2.md#changepassword). */
export const BACKUP_DOMAIN_CHANGED = 'com.apple.mobile.backup.domain_changed';

/** What a ChangePassword needs from the mobilebackup2 service. */
export interface ChangePasswordContext {
  session: DeviceLinkSession;
  device: VirtualDevice;
}

/** How the request ends: the new password on success, else the ErrorCode and description. */
type ChangePasswordOutcome =
  | { ok: true; newPassword: string | null; what: 'enabled' | 'disabled' | 'changed' }
  | { ok: false; code: number; description: string };

/** A password option: absent, a usable string, or malformed (wrong type or empty). */
type PasswordOption = { kind: 'absent' } | { kind: 'given'; value: string } | { kind: 'malformed' };

/**
 * mobilebackup2 ChangePassword, device side (docs/protocol/mobilebackup2.md#changepassword). NewPassword alone enables
 * encryption (WillEncrypt must be false), OldPassword alone disables it and both change the
 * password; an OldPassword that is missing or wrong ends with 207 "Invalid password". Success sets
 * WillEncrypt, drops the old keybag (the next encrypted backup is therefore a full one), keeps the
 * password in the state dir and posts com.apple.mobile.backup.domain_changed. iOS 13+ devices
 * with a passcode ask for it first; simulated devices have no passcode, so nothing is waited for.
 * Passwords are never logged.
 */
export async function serveChangePassword(request: PlistDict, { session, device }: ChangePasswordContext): Promise<void> {
  const log = device.logger.child('BackupAgent2');
  const outcome = decide(request, device);
  if (!outcome.ok) {
    const description = mbErrorDescription(outcome.description, outcome.code);
    log.error('ChangePassword failed', { description });
    session.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: outcome.code, ErrorDescription: description }));
    return;
  }
  device.backupPassword = outcome.newPassword;
  forgetDeviceBackupKeybag(device);
  saveBackupEncryptionSettings(device.state.dir, device.spec, { backupPassword: outcome.newPassword, resetAllSettingsQuirkArmed: device.resetAllSettingsQuirkArmed, keybag: undefined });
  const text = outcome.what === 'changed' ? 'Backup password changed' : `Backup encryption ${outcome.what}`;
  log.info(text, { willEncrypt: outcome.newPassword !== null });
  device.log.write('BackupAgent2', undefined, 'Notice', `${text} (WillEncrypt ${outcome.newPassword !== null ? 'true' : 'false'})`);
  device.notifications.post(BACKUP_DOMAIN_CHANGED);
  session.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0 }));
}

/** Decides the request against the device's current state, writing the device-side reason of a refusal to its log. */
function decide(request: PlistDict, device: VirtualDevice): ChangePasswordOutcome {
  const oldPassword = passwordOption(request, 'OldPassword');
  const newPassword = passwordOption(request, 'NewPassword');
  if (oldPassword.kind === 'malformed' || newPassword.kind === 'malformed') {
    return refuse(device, MB_ERROR.Generic, 'Error reading the password change options');
  }
  if (device.restartPending) return refuse(device, MB_ERROR.Generic, DEVICE_RESTARTING_DESCRIPTION);
  if (device.backupInProgress) return refuse(device, MB_ERROR.Generic, 'A backup is in progress on this device');
  const current = device.backupPassword;
  if (current === null) {
    if (oldPassword.kind === 'given') return refuse(device, MB_ERROR.Generic, 'Backup encryption is not enabled');
    if (newPassword.kind !== 'given') return refuse(device, MB_ERROR.Generic, 'No new backup password given');
    if (quirkRefusesEnabling(device)) return { ok: false, code: MB_ERROR.Generic, description: QUIRK_REFUSAL_DESCRIPTION };
    return { ok: true, newPassword: newPassword.value, what: 'enabled' };
  }
  if (oldPassword.kind !== 'given' || !samePassword(oldPassword.value, current)) {
    device.log.write('BackupAgent2', undefined, 'Error', 'Failed to unlock the backup keybag with the current password: MKBKeyBagUnlock error (-3)');
    return refuse(device, INVALID_PASSWORD, 'Invalid password');
  }
  if (newPassword.kind !== 'given') return { ok: true, newPassword: null, what: 'disabled' };
  return { ok: true, newPassword: newPassword.value, what: 'changed' };
}

function refuse(device: VirtualDevice, code: number, description: string): ChangePasswordOutcome {
  device.log.write('BackupAgent2', undefined, 'Error', mbErrorDescription(description, code));
  return { ok: false, code, description };
}

/** Reads a password option at the top level, where hosts put it, or inside Options. */
function passwordOption(request: PlistDict, key: 'OldPassword' | 'NewPassword'): PasswordOption {
  const options = getDict(request, 'Options');
  const value: PlistValue | undefined = Object.hasOwn(request, key) ? request[key] : options && Object.hasOwn(options, key) ? options[key] : undefined;
  if (value === undefined) return { kind: 'absent' };
  if (typeof value !== 'string' || value === '') return { kind: 'malformed' };
  return { kind: 'given', value };
}

/** Compares passwords in constant time (digests of equal length), so timing reveals nothing of the stored one. */
function samePassword(given: string, stored: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(stored));
}
