import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';

/*
 * AES-256-CBC with a 16-byte zero IV: how backups encrypt every file and Manifest.db. A fixed IV is
 * safe here only because every file and the manifest have their own random key.
 */

/** AES block size in bytes. */
export const AES_BLOCK_BYTES = 16;
/** Length of a file key or Manifest.db key. */
export const DATA_KEY_BYTES = 32;

const ZERO_IV = Buffer.alloc(AES_BLOCK_BYTES);

function checkDataKey(key: Buffer): void {
  if (key.length !== DATA_KEY_BYTES) throw new RangeError(`An AES-256 data key is ${DATA_KEY_BYTES} bytes, not ${key.length}.`);
}

/** An AES-256-CBC zero-IV encryptor; with pkcs7Padding it pads the final block, without it the input must be block-aligned. */
export function createZeroIvCipher(key: Buffer, pkcs7Padding: boolean): Cipher {
  checkDataKey(key);
  const cipher = createCipheriv('aes-256-cbc', key, ZERO_IV);
  cipher.setAutoPadding(pkcs7Padding);
  return cipher;
}

/** An AES-256-CBC zero-IV decryptor that never strips padding: callers validate and remove it themselves. */
export function createZeroIvDecipher(key: Buffer): Decipher {
  checkDataKey(key);
  const decipher = createDecipheriv('aes-256-cbc', key, ZERO_IV);
  decipher.setAutoPadding(false);
  return decipher;
}
