import type { FileHandle } from 'node:fs/promises';
import { AES_BLOCK_BYTES, EncryptedDataCorruptError, decryptFileData } from '../crypto';
import { readWhole } from './readWhole';

/*
 * What decrypting a stored file can prove. Files are AES-256-CBC with PKCS#7 padding: each plaintext block is
 * the decryption of its ciphertext block XOR the block before it, and nothing authenticates the data. Every
 * block of any ciphertext therefore "decrypts"; the only things that can fail are the length (whole blocks)
 * and the padding of the final block, which also gives the plaintext length. So the check reads every byte
 * (an unreadable sector or a file cut short shows) and decrypts the last two blocks: the next-to-last
 * ciphertext block serves as the IV of the last, which decrypts exactly as it would at the end of the whole
 * file. This proves what decrypting all of it would, without passing gigabytes through AES for nothing.
 */

/** What reading an encrypted content file found. */
export interface EncryptedContentReading {
  /** Bytes read from disk. */
  bytesRead: number;
  /** The plaintext length the final block's padding gives. */
  plaintextBytes: number;
}

/**
 * Reads a stored encrypted file to the end through `buffer` (reused, so memory stays flat) and returns its
 * plaintext length. A length that is not whole AES blocks, or a final block without valid PKCS#7 padding,
 * throws EncryptedDataCorruptError naming `subject`.
 */
export async function readEncryptedContent(handle: FileHandle, size: number, fileKey: Buffer, subject: string, buffer: Buffer, signal?: AbortSignal): Promise<EncryptedContentReading> {
  const tail = Buffer.alloc(2 * AES_BLOCK_BYTES);
  let tailBytes = 0;
  const bytesRead = await readWhole(handle, size, buffer, signal, (chunk) => {
    // Keep the last two blocks' worth of ciphertext seen so far, across chunk boundaries.
    if (chunk.length >= tail.length) {
      chunk.copy(tail, 0, chunk.length - tail.length);
      tailBytes = tail.length;
    } else {
      const keep = Math.min(tailBytes, tail.length - chunk.length);
      tail.copy(tail, 0, tailBytes - keep, tailBytes);
      chunk.copy(tail, keep);
      tailBytes = keep + chunk.length;
    }
  });
  if (bytesRead % AES_BLOCK_BYTES !== 0) {
    throw new EncryptedDataCorruptError(subject, `its length of ${bytesRead} bytes is not a multiple of ${AES_BLOCK_BYTES} (the file is truncated)`);
  }
  // An empty stored file holds no block at all: an empty plaintext.
  if (bytesRead === 0) return { bytesRead, plaintextBytes: 0 };
  // One block only: its IV is the real zero IV. Two: the first is the IV of the second and decrypts to noise,
  // which decryptFileData returns as plaintext; only the final block's padding is removed.
  const lastBlocks = tail.subarray(0, tailBytes);
  const padding = lastBlocks.length - decryptFileData(fileKey, lastBlocks, { subject }).length;
  return { bytesRead, plaintextBytes: bytesRead - padding };
}
