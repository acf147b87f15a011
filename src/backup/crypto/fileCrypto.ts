import { randomBytes, type Decipher } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AES_BLOCK_BYTES, DATA_KEY_BYTES, createZeroIvCipher, createZeroIvDecipher } from './cbcZeroIv';
import { EncryptedDataCorruptError } from './cryptoErrors';
import type { ClassKeys } from './keybag';
import { unwrapKeyBlob, wrapKeyBlob } from './wrappedKeyBlob';

/*
 * Backed-up files: AES-256-CBC, zero IV, PKCS#7 padding, one random key per file stored wrapped in the
 * MBFile EncryptionKey. Decryption follows the data, never the Size recorded in Manifest.db (it can be
 * stale); comparing the two is the caller's business.
 */

const DEFAULT_FILE_SUBJECT = 'a backed-up file';

/** Options naming the file in error messages (e.g. its domain and relative path). */
export interface FileCryptoOptions {
  readonly subject?: string;
}

/** A new file key and its EncryptionKey blob. */
export interface NewFileKey {
  readonly fileKey: Buffer;
  readonly encryptionKey: Buffer;
}

/** Unwraps a file's EncryptionKey (4-byte LE class + 40-byte wrapped key) with the unlocked class keys. */
export function unwrapFileKey(encryptionKey: Uint8Array, classKeys: ClassKeys, options: FileCryptoOptions = {}): Buffer {
  return unwrapKeyBlob(encryptionKey, classKeys, options.subject ?? DEFAULT_FILE_SUBJECT);
}

/** Wraps a file key into an EncryptionKey blob for a protection class. */
export function wrapFileKey(fileKey: Buffer, protectionClass: number, classKeys: ClassKeys): Buffer {
  return wrapKeyBlob(fileKey, protectionClass, classKeys, DEFAULT_FILE_SUBJECT);
}

/** Creates a random file key and its EncryptionKey blob, as the device does for each backed-up file. */
export function createFileKey(protectionClass: number, classKeys: ClassKeys): NewFileKey {
  const fileKey = randomBytes(DATA_KEY_BYTES);
  return { fileKey, encryptionKey: wrapFileKey(fileKey, protectionClass, classKeys) };
}

/** Length of the PKCS#7 padding at the end of a final plaintext block, or an error when it is not valid padding. */
function pkcs7PaddingLength(finalBlock: Buffer, subject: string): number {
  const padding = finalBlock[finalBlock.length - 1];
  let valid = padding >= 1 && padding <= AES_BLOCK_BYTES;
  for (let index = finalBlock.length - padding; valid && index < finalBlock.length; index++) {
    valid = finalBlock[index] === padding;
  }
  if (!valid) throw new EncryptedDataCorruptError(subject, 'its final block has no valid padding (damaged data or the wrong key)');
  return padding;
}

function truncatedError(subject: string, length: number): EncryptedDataCorruptError {
  return new EncryptedDataCorruptError(subject, `its length of ${length} bytes is not a multiple of ${AES_BLOCK_BYTES} (the file is truncated)`);
}

/**
 * Decrypts a stream, holding back only the last plaintext block so its padding can be removed at the
 * end; memory stays at one block plus what the stream is buffering, whatever the file size.
 */
class FileDecryptStream extends Transform {
  private readonly decipher: Decipher;
  private heldBlock: Buffer | undefined;
  private ciphertextBytes = 0;

  constructor(fileKey: Buffer, private readonly subject: string) {
    super();
    this.decipher = createZeroIvDecipher(fileKey);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.ciphertextBytes += chunk.length;
    const plaintext = this.decipher.update(chunk);
    if (plaintext.length > 0) {
      if (this.heldBlock !== undefined) this.push(this.heldBlock);
      if (plaintext.length > AES_BLOCK_BYTES) this.push(plaintext.subarray(0, plaintext.length - AES_BLOCK_BYTES));
      this.heldBlock = plaintext.subarray(plaintext.length - AES_BLOCK_BYTES);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.ciphertextBytes % AES_BLOCK_BYTES !== 0) throw truncatedError(this.subject, this.ciphertextBytes);
      this.decipher.final();
      // An empty stored file holds no block at all; there is nothing to unpad.
      if (this.heldBlock !== undefined) {
        const padding = pkcs7PaddingLength(this.heldBlock, this.subject);
        this.push(this.heldBlock.subarray(0, AES_BLOCK_BYTES - padding));
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

/** A Transform that encrypts a file's contents (AES-256-CBC, zero IV, PKCS#7) in constant memory. */
export function createFileEncryptStream(fileKey: Buffer): Transform {
  return createZeroIvCipher(fileKey, true);
}

/** A Transform that decrypts a stored file in constant memory, removing valid PKCS#7 padding and rejecting damage. */
export function createFileDecryptStream(fileKey: Buffer, options: FileCryptoOptions = {}): Transform {
  return new FileDecryptStream(fileKey, options.subject ?? DEFAULT_FILE_SUBJECT);
}

/** Encrypts a small file's contents in one call. */
export function encryptFileData(fileKey: Buffer, plaintext: Uint8Array): Buffer {
  const cipher = createZeroIvCipher(fileKey, true);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** Decrypts a small stored file in one call, with the same padding and length rules as the stream. */
export function decryptFileData(fileKey: Buffer, ciphertext: Uint8Array, options: FileCryptoOptions = {}): Buffer {
  const subject = options.subject ?? DEFAULT_FILE_SUBJECT;
  if (ciphertext.byteLength % AES_BLOCK_BYTES !== 0) throw truncatedError(subject, ciphertext.byteLength);
  if (ciphertext.byteLength === 0) return Buffer.alloc(0);
  const decipher = createZeroIvDecipher(fileKey);
  const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const padding = pkcs7PaddingLength(plaintext.subarray(plaintext.length - AES_BLOCK_BYTES), subject);
  return plaintext.subarray(0, plaintext.length - padding);
}
