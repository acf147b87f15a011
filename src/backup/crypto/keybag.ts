import { randomBytes } from 'node:crypto';
import { UsageError } from '../../common/errors';
import { aesKeyUnwrap, aesKeyWrap } from './aesKeyWrap';
import { KeybagCorruptError, WrongPasswordError, isKeyUnwrapIntegrityError } from './cryptoErrors';
import {
  KEYBAG_KEY_TYPE_AES,
  KEYBAG_WRAP_DEVICE,
  KEYBAG_WRAP_PASSCODE,
  buildKeybag,
  type BackupKeybag,
  type KeybagClassKey,
  type KeybagHeader,
} from './keybagTlv';
import {
  DEFAULT_SHA1_ITERATIONS,
  DEFAULT_SHA256_ITERATIONS,
  PASSWORD_KEY_BYTES,
  deriveKeyInWorker,
  passwordKeyParams,
  type DeriveKeyOptions,
} from './passwordKey';

/** Unwrapped class keys by protection class number. */
export type ClassKeys = ReadonlyMap<number, Buffer>;

/** Length of an unwrapped AES class key. */
export const CLASS_KEY_BYTES = 32;
/** Length of a wrapped AES class key (RFC 3394 adds one 8-byte semiblock). */
export const WRAPPED_CLASS_KEY_BYTES = 40;
/** Protection classes a real backup keybag carries keys for. */
export const BACKUP_PROTECTION_CLASSES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** Keybag format values the simulator writes (VERS 3, TYPE 1 = backup; header WRAP 0, DPWT 1). */
const SIMULATED_KEYBAG_VERSION = 3;
const BACKUP_KEYBAG_TYPE = 1;
const SIMULATED_HEADER_WRAP = 0;
const SIMULATED_DP_WRAP = 1;
const SALT_BYTES = 20;
const UUID_BYTES = 16;
const HMAC_KEY_WRAPPED_BYTES = 40;

/**
 * True for class keys the backup password alone can unwrap: passcode-wrapped, not also device-wrapped
 * (a device layer needs the phone's hardware key), and AES rather than Curve25519 (which needs an ECDH step).
 */
export function isPasswordWrappedClassKey(entry: KeybagClassKey): boolean {
  return (
    (entry.wrap & KEYBAG_WRAP_PASSCODE) !== 0 &&
    (entry.wrap & KEYBAG_WRAP_DEVICE) === 0 &&
    (entry.keyType ?? KEYBAG_KEY_TYPE_AES) === KEYBAG_KEY_TYPE_AES
  );
}

/** The keybag's password-wrapped AES class keys, each checked to have a 40-byte WPKY. */
export function passwordWrappedClassKeys(keybag: BackupKeybag): KeybagClassKey[] {
  const entries = keybag.classKeys.filter(isPasswordWrappedClassKey);
  if (entries.length === 0) throw new KeybagCorruptError('it has no class key wrapped with the backup password');
  for (const { protectionClass, wrappedKey } of entries) {
    if (wrappedKey.length !== WRAPPED_CLASS_KEY_BYTES) {
      throw new KeybagCorruptError(
        `the wrapped key of protection class ${protectionClass} is ${wrappedKey.length} bytes long, not ${WRAPPED_CLASS_KEY_BYTES}`,
      );
    }
  }
  return entries;
}

function checkPasswordKey(passwordKey: Buffer): void {
  if (passwordKey.length !== PASSWORD_KEY_BYTES) {
    throw new RangeError(`A backup password key is ${PASSWORD_KEY_BYTES} bytes, not ${passwordKey.length}.`);
  }
}

/** Unwraps every password-wrapped class key; WrongPasswordError when the password key does not fit. */
export function unlockKeybag(keybag: BackupKeybag, passwordKey: Buffer): Map<number, Buffer> {
  checkPasswordKey(passwordKey);
  const classKeys = new Map<number, Buffer>();
  for (const { protectionClass, wrappedKey } of passwordWrappedClassKeys(keybag)) {
    try {
      classKeys.set(protectionClass, aesKeyUnwrap(passwordKey, wrappedKey));
    } catch (error) {
      if (!isKeyUnwrapIntegrityError(error)) throw error;
      for (const key of classKeys.values()) key.fill(0);
      // The first key decides the password; a later failure after a success means a damaged record.
      if (classKeys.size === 0) throw new WrongPasswordError();
      throw new KeybagCorruptError(`the key of protection class ${protectionClass} does not unwrap with the password that opens the others`);
    }
  }
  return classKeys;
}

/** Derives the password key off the main thread, then unlocks the keybag with it. */
export async function unlockKeybagWithPassword(
  keybag: BackupKeybag,
  password: string,
  options: DeriveKeyOptions = {},
): Promise<Map<number, Buffer>> {
  const passwordKey = await deriveKeyInWorker(passwordKeyParams(keybag.header, password), options);
  try {
    return unlockKeybag(keybag, passwordKey);
  } finally {
    passwordKey.fill(0);
  }
}

/** What the simulator asks for when it creates an encrypted backup's keybag. */
export interface CreateKeybagOptions extends DeriveKeyOptions {
  readonly password: string;
  /** ITER (PBKDF2-HMAC-SHA1); defaults to the real 10,000. */
  readonly iterations?: number;
  /** DPIC (PBKDF2-HMAC-SHA256); defaults to the real 10,000,000. Tests pass small values. */
  readonly dpIterations?: number;
  /** True for a keybag as iOS before 10.2 wrote it: no DPSL/DPIC, one PBKDF2-HMAC-SHA1 stage. */
  readonly legacyDerivation?: boolean;
  /** Protection classes to create keys for; defaults to 1–11 like a real backup keybag. */
  readonly classes?: readonly number[];
}

/** A freshly created keybag: its TLV bytes, its parsed form and the class keys it wraps. */
export interface CreatedKeybag {
  readonly bytes: Buffer;
  readonly keybag: BackupKeybag;
  readonly classKeys: Map<number, Buffer>;
}

/** Creates a backup keybag for a password: random salts, UUIDs and class keys, wrapped with the derived password key. */
export async function createKeybag(options: CreateKeybagOptions): Promise<CreatedKeybag> {
  if (options.password.length === 0) throw new UsageError('A backup password must not be empty.');
  const classes = options.classes ?? BACKUP_PROTECTION_CLASSES;
  const iterations = options.iterations ?? DEFAULT_SHA1_ITERATIONS;
  const dpIterations = options.dpIterations ?? DEFAULT_SHA256_ITERATIONS;
  if (new Set(classes).size !== classes.length) throw new RangeError('Each protection class may appear only once in a keybag.');
  const header: KeybagHeader = {
    version: SIMULATED_KEYBAG_VERSION,
    type: BACKUP_KEYBAG_TYPE,
    uuid: randomBytes(UUID_BYTES),
    hmacKey: randomBytes(HMAC_KEY_WRAPPED_BYTES),
    wrap: SIMULATED_HEADER_WRAP,
    salt: randomBytes(SALT_BYTES),
    iterations,
    ...(options.legacyDerivation
      ? {}
      : { dpWrap: SIMULATED_DP_WRAP, dpIterations, dpSalt: randomBytes(SALT_BYTES) }),
  };
  // The derivation refuses counts parseKeybag would refuse, so a created keybag always reads back.
  const passwordKey = await deriveKeyInWorker(passwordKeyParams(header, options.password), options);
  try {
    const classKeys = new Map<number, Buffer>();
    const entries: KeybagClassKey[] = classes.map((protectionClass) => {
      const classKey = randomBytes(CLASS_KEY_BYTES);
      classKeys.set(protectionClass, classKey);
      return {
        uuid: randomBytes(UUID_BYTES),
        protectionClass,
        wrap: KEYBAG_WRAP_PASSCODE,
        keyType: KEYBAG_KEY_TYPE_AES,
        wrappedKey: aesKeyWrap(passwordKey, classKey),
      };
    });
    const keybag: BackupKeybag = { header, classKeys: entries };
    return { bytes: buildKeybag(keybag), keybag, classKeys };
  } finally {
    passwordKey.fill(0);
  }
}
