import { randomBytes } from 'node:crypto';
import { AES_BLOCK_BYTES, DATA_KEY_BYTES, createZeroIvCipher, createZeroIvDecipher } from './cbcZeroIv';
import { EncryptedDataCorruptError } from './cryptoErrors';
import type { ClassKeys } from './keybag';
import { unwrapKeyBlob, wrapKeyBlob } from './wrappedKeyBlob';

/*
 * Manifest.plist ManifestKey (iOS 10.2+): 4-byte LE protection class + wrapped 32-byte key, which
 * encrypts the whole Manifest.db with AES-256-CBC and a zero IV. No padding: SQLite files are
 * page-aligned, and the readers that work with real backups strip none.
 */

/**
 * Protection class the simulator wraps the Manifest.db key with. Class 3 is what a published dump of a
 * real backup's ManifestKey shows; readers never assume it, they take the class from the blob.
 */
export const DEFAULT_MANIFEST_PROTECTION_CLASS = 3;

const MANIFEST_SUBJECT = 'Manifest.db';
/** Every SQLite database file starts with these 16 bytes. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A new Manifest.db key and its ManifestKey blob. */
export interface NewManifestKey {
  readonly manifestDbKey: Buffer;
  readonly manifestKey: Buffer;
}

/** Unwraps Manifest.plist's ManifestKey with the unlocked class keys into the Manifest.db key. */
export function unwrapManifestKey(manifestKey: Uint8Array, classKeys: ClassKeys): Buffer {
  return unwrapKeyBlob(manifestKey, classKeys, MANIFEST_SUBJECT);
}

/** Creates a random Manifest.db key and its ManifestKey blob, wrapped with a class key. */
export function createManifestKey(classKeys: ClassKeys, protectionClass = DEFAULT_MANIFEST_PROTECTION_CLASS): NewManifestKey {
  const manifestDbKey = randomBytes(DATA_KEY_BYTES);
  return { manifestDbKey, manifestKey: wrapKeyBlob(manifestDbKey, protectionClass, classKeys, MANIFEST_SUBJECT) };
}

/** Decrypts an encrypted Manifest.db and checks that the result is an SQLite database. */
export function decryptManifestDb(encrypted: Uint8Array, manifestDbKey: Buffer): Buffer {
  if (encrypted.byteLength === 0) throw new EncryptedDataCorruptError(MANIFEST_SUBJECT, 'the file is empty');
  if (encrypted.byteLength % AES_BLOCK_BYTES !== 0) {
    throw new EncryptedDataCorruptError(
      MANIFEST_SUBJECT,
      `its length of ${encrypted.byteLength} bytes is not a multiple of ${AES_BLOCK_BYTES} (the file is truncated)`,
    );
  }
  const decipher = createZeroIvDecipher(manifestDbKey);
  const plaintext = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  if (!plaintext.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) {
    throw new EncryptedDataCorruptError(MANIFEST_SUBJECT, 'it does not decrypt to an SQLite database');
  }
  return plaintext;
}

/** Encrypts a Manifest.db (block-aligned, as SQLite files are) with its key, without padding. */
export function encryptManifestDb(plaintext: Uint8Array, manifestDbKey: Buffer): Buffer {
  if (plaintext.byteLength % AES_BLOCK_BYTES !== 0) {
    throw new RangeError(`Manifest.db must be a multiple of ${AES_BLOCK_BYTES} bytes to encrypt, not ${plaintext.byteLength}.`);
  }
  const cipher = createZeroIvCipher(manifestDbKey, false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}
