import { BackupError, errorGuard } from '../../common/errors';

/**
 * The error family of encrypted-backup cryptography. Messages are one sentence and never contain a
 * password, a key or key material; the fields carry what a presenter may need.
 */

/** The keybag (Manifest.plist BackupKeyBag) cannot be read: truncated, missing records, absurd values. */
export class KeybagCorruptError extends BackupError {
  constructor(readonly detail: string, options?: { cause?: unknown }) {
    super(`The backup keybag is corrupt: ${detail}.`, 'backup.keybag-corrupt', undefined, options);
    this.name = 'KeybagCorruptError';
  }
}

/** The password does not open the backup keybag (the first class key failed its integrity check). */
export class WrongPasswordError extends BackupError {
  constructor() {
    super('The backup password is incorrect.', 'backup.wrong-password');
    this.name = 'WrongPasswordError';
  }
}

/**
 * An RFC 3394 unwrap failed its integrity check: the key-encryption key is not the one that wrapped
 * the data, or the wrapped bytes were altered. Callers translate it into what it means in their context.
 */
export class KeyUnwrapIntegrityError extends BackupError {
  constructor() {
    super('A wrapped key failed its integrity check.', 'backup.key-unwrap-integrity');
    this.name = 'KeyUnwrapIntegrityError';
  }
}

/** A protection class needed for a file or for Manifest.db has no usable key in the unlocked keybag. */
export class ClassKeyMissingError extends BackupError {
  constructor(readonly protectionClass: number, readonly subject: string) {
    super(`The backup keybag has no key for protection class ${protectionClass}, which ${subject} needs.`, 'backup.class-key-missing');
    this.name = 'ClassKeyMissingError';
  }
}

/** Encrypted data or a wrapped-key blob is damaged: bad length, bad padding, or a key that does not unwrap. */
export class EncryptedDataCorruptError extends BackupError {
  constructor(readonly subject: string, readonly detail: string, options?: { cause?: unknown }) {
    super(`The encrypted data of ${subject} is corrupt: ${detail}.`, 'backup.encrypted-data-corrupt', undefined, options);
    this.name = 'EncryptedDataCorruptError';
  }
}

export const isKeybagCorruptError = errorGuard(KeybagCorruptError);
export const isWrongPasswordError = errorGuard(WrongPasswordError);
export const isKeyUnwrapIntegrityError = errorGuard(KeyUnwrapIntegrityError);
export const isClassKeyMissingError = errorGuard(ClassKeyMissingError);
export const isEncryptedDataCorruptError = errorGuard(EncryptedDataCorruptError);
