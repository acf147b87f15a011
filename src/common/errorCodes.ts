/**
 * Every code a DeviceToolError carries, in one list: a misspelt code does not compile, and the doctor's
 * knowledge base (productErrorCodes) is checked against this list by a unit test.
 */
export const ERROR_CODES = [
  'protocol', 'service-start', 'cancelled', 'usage', 'syslog.stream-ended', 'doctor.knowledge-base-invalid', 'usbmux.unreachable',
  'usbmux.no-device', 'usbmux.timeout', 'usbmux.closed', 'backup.already-running', 'backup.bad-device-request', 'backup.bad-file-id',
  'backup.cancelled-on-device', 'backup.class-key-missing', 'backup.commit-failed', 'backup.device-busy', 'backup.device-disconnected',
  'backup.device-silent', 'backup.encrypted', 'backup.encrypted-data-corrupt', 'backup.encryption-already-off', 'backup.encryption-already-on',
  'backup.encryption-unchanged', 'backup.extract-failed', 'backup.file-key-missing', 'backup.file-unreadable', 'backup.folder-unreadable',
  'backup.hello-refused', 'backup.host-disk-full', 'backup.key-derivation', 'backup.key-unwrap-integrity', 'backup.keybag-corrupt',
  'backup.keybag-missing', 'backup.manifest-closed', 'backup.manifest-db-timeout', 'backup.manifest-db-unreadable', 'backup.manifest-db-walks',
  'backup.mbfile-malformed', 'backup.not-encrypted', 'backup.output-unavailable', 'backup.password-could-not-be-set', 'backup.plist-unreadable',
  'backup.protocol-version', 'backup.recovery-not-encrypted', 'backup.root-unreadable', 'backup.root-unwritable', 'backup.sqlite-missing',
  'backup.sync-lock-busy', 'backup.sync-lock-failed', 'backup.unfinished', 'backup.unsafe-path', 'backup.wrong-password',
  'restore.bad-device-request', 'restore.cancelled-on-device', 'restore.device-disconnected', 'restore.device-silent', 'restore.preflight-failed',
] as const;

/** lockdownd's Error strings that mean the pairing itself is the problem (docs/protocol/lockdown.md#error-strings). */
export const LOCKDOWN_PAIRING_REFUSALS = [
  'PasswordProtected', 'UserDeniedPairing', 'PairingDialogResponsePending', 'InvalidHostID', 'MissingHostID',
  'InvalidPairRecord', 'MissingPairRecord', 'PairingProhibitedOverThisConnection', 'MCProtected', 'MCChallengeRequired',
] as const;

const PAIRING_CODES = ['not-paired', 'invalid-record', 'trust-timeout', 'certificate-mismatch', ...LOCKDOWN_PAIRING_REFUSALS] as const;
/** What a PairingError says went wrong: the product's own findings or lockdownd's refusal. */
export type PairingCode = (typeof PAIRING_CODES)[number];

/** A code from the list, or a fixed prefix followed by the number or Error string a daemon or the device sent. */
export type ErrorCode =
  | (typeof ERROR_CODES)[number]
  | `pairing.${PairingCode}`
  | `lockdown.${string}`
  | `usbmux.result.${number}`
  | `afc.${number}`
  | `backup.device-error.${number}`
  | `restore.device-error.${number}`;

/** True when `code` is one the product produces (a fixed code, or a known prefix with its number or name). */
export function isErrorCode(code: string): code is ErrorCode {
  if ((ERROR_CODES as readonly string[]).includes(code)) return true;
  const pairing = /^pairing\.(.+)$/.exec(code)?.[1];
  if (pairing !== undefined) return (PAIRING_CODES as readonly string[]).includes(pairing);
  return /^(lockdown\.[A-Za-z]+|(usbmux\.result|afc|backup\.device-error|restore\.device-error)\.-?\d+)$/.test(code);
}
