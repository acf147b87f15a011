import { aesKeyUnwrap, aesKeyWrap } from './aesKeyWrap';
import { ClassKeyMissingError, EncryptedDataCorruptError, isKeyUnwrapIntegrityError } from './cryptoErrors';
import type { ClassKeys } from './keybag';

/*
 * The blob format shared by a file's EncryptionKey and Manifest.plist's ManifestKey:
 * 4-byte little-endian protection class, then a 32-byte key RFC 3394-wrapped (40 bytes) with that class's key.
 */

/** Length of the protection-class prefix. */
export const PROTECTION_CLASS_PREFIX_BYTES = 4;
/** Length of the wrapped 32-byte key that follows the prefix. */
export const WRAPPED_DATA_KEY_BYTES = 40;
/** Total length of a blob. */
export const WRAPPED_KEY_BLOB_BYTES = PROTECTION_CLASS_PREFIX_BYTES + WRAPPED_DATA_KEY_BYTES;

/** A blob split into its parts. */
export interface WrappedKeyBlob {
  readonly protectionClass: number;
  readonly wrappedKey: Buffer;
}

/** Splits an untrusted blob into protection class and wrapped key; `subject` names what it belongs to in errors. */
export function parseWrappedKeyBlob(blob: Uint8Array, subject: string): WrappedKeyBlob {
  if (blob.byteLength !== WRAPPED_KEY_BLOB_BYTES) {
    throw new EncryptedDataCorruptError(subject, `its wrapped key is ${blob.byteLength} bytes long, not ${WRAPPED_KEY_BLOB_BYTES}`);
  }
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  return {
    protectionClass: bytes.readUInt32LE(0),
    wrappedKey: Buffer.from(bytes.subarray(PROTECTION_CLASS_PREFIX_BYTES)),
  };
}

/** Joins a protection class and a 40-byte wrapped key into a blob. */
export function buildWrappedKeyBlob(protectionClass: number, wrappedKey: Buffer): Buffer {
  if (wrappedKey.length !== WRAPPED_DATA_KEY_BYTES) {
    throw new RangeError(`A wrapped data key is ${WRAPPED_DATA_KEY_BYTES} bytes, not ${wrappedKey.length}.`);
  }
  const prefix = Buffer.alloc(PROTECTION_CLASS_PREFIX_BYTES);
  prefix.writeUInt32LE(protectionClass, 0);
  return Buffer.concat([prefix, wrappedKey]);
}

function classKeyFor(classKeys: ClassKeys, protectionClass: number, subject: string): Buffer {
  const classKey = classKeys.get(protectionClass);
  if (classKey === undefined) throw new ClassKeyMissingError(protectionClass, subject);
  return classKey;
}

/** Unwraps the 32-byte key a blob holds with the class key its prefix names. */
export function unwrapKeyBlob(blob: Uint8Array, classKeys: ClassKeys, subject: string): Buffer {
  const { protectionClass, wrappedKey } = parseWrappedKeyBlob(blob, subject);
  try {
    return aesKeyUnwrap(classKeyFor(classKeys, protectionClass, subject), wrappedKey);
  } catch (error) {
    // The class keys are already proven by the password, so a failing blob is damage, not a wrong password.
    if (isKeyUnwrapIntegrityError(error)) {
      throw new EncryptedDataCorruptError(subject, `its key does not unwrap with the key of protection class ${protectionClass}`);
    }
    throw error;
  }
}

/** Wraps a 32-byte key with the key of a protection class into a blob. */
export function wrapKeyBlob(key: Buffer, protectionClass: number, classKeys: ClassKeys, subject: string): Buffer {
  return buildWrappedKeyBlob(protectionClass, aesKeyWrap(classKeyFor(classKeys, protectionClass, subject), key));
}
