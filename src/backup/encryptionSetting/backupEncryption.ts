import { BackupError, errorGuard, ProtocolError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import { DeviceSession } from '../../lockdown/deviceSession';
import type { PlistDict } from '../../plist';
import { Mobilebackup2Service, parseFinalResult } from '../../services/mobilebackup2';
import type { UsbmuxClient } from '../../usbmux/usbmuxClient';
import { withDeviceClaim } from '../../device/deviceOperationLock';

/** What to do with backup encryption. Passwords travel only inside this object. */
export type EncryptionChange =
  | { kind: 'on'; newPassword: string }
  | { kind: 'off'; oldPassword: string }
  | { kind: 'change'; oldPassword: string; newPassword: string };

/** The device refused a new backup password although the request was valid (the "the password could not be set" case). */
export class PasswordCouldNotBeSetError extends BackupError {
  constructor(readonly udid: string, deviceErrorCode: number) {
    super(
      `The device refused to set the backup password ("The password you entered to protect your iPhone backup could not be set"); this happens after "Reset All Settings" until an unencrypted backup has completed — run "iosbr encryption ${udid} on --recover" to do that and set the same password again.`,
      'backup.password-could-not-be-set',
      deviceErrorCode,
    );
    this.name = 'PasswordCouldNotBeSetError';
  }
}

/** Guard for PasswordCouldNotBeSetError. */
export const isPasswordCouldNotBeSetError = errorGuard(PasswordCouldNotBeSetError);

/** Wrong current backup password (MBErrorDomain/207). */
export const WRONG_OLD_PASSWORD_CODE = 207;

/** How long the device may take (iOS 13+ waits for the passcode to be entered on the device). */
const CHANGE_PASSWORD_TIMEOUT_MS = 5 * 60_000;

/** Reads com.apple.mobile.backup WillEncrypt inside a session. */
async function willEncrypt(session: DeviceSession): Promise<boolean> {
  return (await session.lockdown.getValue('com.apple.mobile.backup', 'WillEncrypt')) === true;
}

/**
 * Turns backup encryption on or off, or changes its password, with mobilebackup2 ChangePassword
 * (docs/protocol/mobilebackup2.md#changepassword), then reads WillEncrypt back to confirm. Refuses a change that does not fit
 * the current state before anything is sent, and while a backup or restore of the device runs in
 * this process (DeviceBusyError).
 */
export async function changeBackupEncryption(
  mux: UsbmuxClient,
  udid: string,
  change: EncryptionChange,
  options: { logger?: Logger; onNotice?: (text: string) => void } = {},
): Promise<{ willEncrypt: boolean }> {
  return withDeviceClaim(udid, 'encryption-change', () => changeClaimedEncryption(mux, udid, change, options));
}

/** changeBackupEncryption's work, while this process holds the device. */
async function changeClaimedEncryption(
  mux: UsbmuxClient,
  udid: string,
  change: EncryptionChange,
  options: { logger?: Logger; onNotice?: (text: string) => void },
): Promise<{ willEncrypt: boolean }> {
  const logger = (options.logger ?? silentLogger).child('encryption');
  const session = await DeviceSession.open(mux, udid, logger);
  try {
    const before = await willEncrypt(session);
    if (change.kind === 'on' && before) {
      throw new BackupError(`Backup encryption is already on for ${udid}; use "encryption ${udid} change" to change its password.`, 'backup.encryption-already-on');
    }
    if (change.kind !== 'on' && !before) {
      throw new BackupError(`Backup encryption is off for ${udid}, so there is no password to ${change.kind === 'off' ? 'remove' : 'change'}.`, 'backup.encryption-already-off');
    }
    const message: PlistDict = { MessageName: 'ChangePassword', TargetIdentifier: session.udid };
    if (change.kind !== 'on') message.OldPassword = change.oldPassword;
    if (change.kind !== 'off') message.NewPassword = change.newPassword;

    const service = new Mobilebackup2Service(session, { logger, idleTimeoutMs: CHANGE_PASSWORD_TIMEOUT_MS });
    await service.connect();
    try {
      options.onNotice?.('If the device asks for its passcode, enter it on the device to confirm the change.');
      service.link.sendProcessMessage(message);
      const result = await awaitFinalResult(service);
      if (result.errorCode === WRONG_OLD_PASSWORD_CODE) {
        throw new BackupError('The current backup password is incorrect, so encryption was not changed.', 'backup.wrong-password', result.errorCode);
      }
      if (result.errorCode !== 0) {
        const after = await willEncrypt(session);
        // The "the password could not be set" case: a valid new password refused while encryption stays off.
        if (change.kind === 'on' && !after) throw new PasswordCouldNotBeSetError(session.udid, result.errorCode);
        throw new BackupError(
          `The device refused to change backup encryption with error ${result.errorCode}${result.errorDescription ? ` (${result.errorDescription.replace(/\s+/g, ' ')})` : ''}.`,
          `backup.device-error.${result.errorCode}`,
          result.errorCode,
        );
      }
    } finally {
      service.close();
    }
    const after = await willEncrypt(session);
    const expected = change.kind !== 'off';
    if (after !== expected) {
      throw new BackupError(`The device reported success but backup encryption is still ${after ? 'on' : 'off'}.`, 'backup.encryption-unchanged');
    }
    logger.info('backup encryption changed', { udid: session.udid, willEncrypt: after });
    return { willEncrypt: after };
  } finally {
    await session.close();
  }
}

/** Waits for the final ProcessMessage; a ChangePassword needs no file traffic, so any other request is refused politely. */
async function awaitFinalResult(service: Mobilebackup2Service): Promise<ReturnType<typeof parseFinalResult>> {
  for (;;) {
    const message = await service.link.receive();
    if (message.name === 'DLMessageProcessMessage') return parseFinalResult(message.content);
    if (message.name === 'DLMessageDisconnect') {
      throw new BackupError('The device ended the password change without reporting a result; check the cable and try again.', 'backup.device-disconnected');
    }
    if (message.name === 'DLMessageVersionExchange' || message.name === 'DLMessageDeviceReady') {
      throw new ProtocolError(`The device sent ${message.name} in the middle of a password change.`, Mobilebackup2Service.SERVICE_NAME);
    }
    service.link.sendStatusResponse(-1, 'Operation not supported');
  }
}
