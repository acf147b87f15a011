import * as l10n from '@vscode/l10n';
import { isWrongPasswordError } from '../../backup/crypto/cryptoErrors';
import { isDeviceBusyError, type DeviceOperationKind } from '../../device/deviceBusyError';
import { isEncryptedBackupError } from '../../backup/format/formatErrors';
import { isRestorePreflightError } from '../../restore/restorePreflightError';
import type { Lang } from '../../common/localizedText';
import { isBackupError, isCancelledError, isLockdownError, isMuxError, isPairingError, isProtocolError, isServiceStartError, isUsageError, type PairingError } from '../../common/errors';
import { errorMessageForPeople } from '../../common/fileSystemErrorText';

/** What the user reads about a failure. */
export interface ErrorPresentation {
  /** The localised sentence for the notification. */
  message: string;
  /** The core's own sentence (English), for the notification's detail and the log. */
  detail?: string;
  /** Cancellation is shown quietly (a log line, no popup). */
  quiet: boolean;
  /** usbmuxd was not reachable: offering the demo devices helps. */
  offerDemo: boolean;
}

const PAIRING_SENTENCES: Partial<Record<PairingError['code'], () => string>> = {
  'pairing.trust-timeout': () => l10n.t('Nobody tapped "Trust" on the device in time. Unlock it, tap "Trust" and try again.'),
  'pairing.UserDeniedPairing': () => l10n.t('"Don\'t Trust" was tapped on the device. Unplug it, plug it in again and tap "Trust".'),
  'pairing.PasswordProtected': () => l10n.t('The device is locked. Unlock it and try again.'),
  'pairing.MCProtected': () => l10n.t('The device is supervised and its configuration does not allow pairing with this computer.'),
  'pairing.MCChallengeRequired': () => l10n.t('The device is supervised and only pairs with its supervising computer.'),
  'pairing.certificate-mismatch': () => l10n.t('The device presented a certificate other than the one recorded at pairing, so nothing was sent to it. If it was erased or reset, pair it again.'),
};

/** A device already busy in this window, by what runs on it. */
const DEVICE_BUSY_SENTENCES: Record<DeviceOperationKind, (udid: string) => string> = {
  backup: (udid) => l10n.t('A backup of {0} is already running in this window; wait for it to finish.', udid),
  restore: (udid) => l10n.t('A restore to {0} is already running in this window; wait for it to finish.', udid),
  'encryption-change': (udid) => l10n.t('A backup encryption change on {0} is already running in this window; wait for it to finish.', udid),
};

/**
 * The one table that turns an error into what the user reads: a localised sentence by error family,
 * with the core's precise sentence kept as detail (the CLI prints that one).
 */
export function presentError(error: unknown, operation: string, lang: Lang = 'en'): ErrorPresentation {
  const detail = errorMessageForPeople(error);
  const shown = (message: string, offerDemo = false): ErrorPresentation => ({ message, detail, quiet: false, offerDemo });
  if (isCancelledError(error)) return { message: l10n.t('{0} was cancelled.', operation), quiet: true, offerDemo: false };
  if (isRestorePreflightError(error)) {
    // The check's own sentence and what to do, in the UI language: that is the whole explanation.
    const failed = error.preflight.checks.filter((c) => c.status === 'fail');
    const first = failed[0];
    if (first) {
      const what = [first.sentence[lang], first.action?.[lang]].filter(Boolean).join(' ');
      const others = failed.length - 1;
      const more =
        others === 0
          ? ''
          : ` ${others === 1 ? l10n.t('One more check failed: see the Restore checks in the compatibility panel.') : l10n.t('{0} more checks failed: see the Restore checks in the compatibility panel.', others)}`;
      return { message: `${l10n.t('The restore did not start, and nothing was sent to the device.')} ${what}${more}`, quiet: false, offerDemo: false };
    }
  }
  if (isMuxError(error)) {
    if (error.code === 'usbmux.unreachable') {
      return shown(l10n.t('usbmuxd is not answering at {0}. Start usbmuxd (or Apple Devices / iTunes on Windows), or start the demo devices.', error.address ?? ''), true);
    }
    if (error.code === 'usbmux.no-device') return shown(l10n.t('{0} failed: the device is no longer attached.', operation));
    return shown(l10n.t('{0} failed: usbmuxd refused the request.', operation));
  }
  if (isPairingError(error)) return shown(PAIRING_SENTENCES[error.code]?.() ?? l10n.t('{0} failed: the device did not accept the pairing.', operation));
  if (isWrongPasswordError(error)) return shown(l10n.t('The password does not open this backup.'));
  if (isEncryptedBackupError(error)) return shown(l10n.t('This backup is encrypted: enter its password to read it.'));
  if (isLockdownError(error)) {
    if (error.lockdownCode === 'PasswordProtected') return shown(l10n.t('The device is locked. Unlock it and try again.'));
    return shown(l10n.t('{0} failed: the device refused the request.', operation));
  }
  if (isServiceStartError(error)) return shown(l10n.t('{0} failed: the device did not start the service {1}.', operation, error.service));
  // The sentence is the whole story (nothing failed, nothing was touched): no detail repeating it in English.
  if (isDeviceBusyError(error)) return { message: DEVICE_BUSY_SENTENCES[error.running](error.udid), quiet: false, offerDemo: false };
  if (isBackupError(error)) return shown(l10n.t('{0} failed.', operation));
  if (isProtocolError(error)) return shown(l10n.t('{0} failed: {1} sent data this extension does not understand.', operation, error.peer));
  if (isUsageError(error)) return shown(l10n.t('{0} failed: the input is not valid.', operation));
  return shown(l10n.t('{0} failed unexpectedly.', operation));
}
