import { createCipheriv, createHash } from 'node:crypto';

/** Payload bytes per chunk by default: the DeviceLink block size, so one chunk becomes one block. */
export const CONTENT_CHUNK_BYTES = 32 * 1024;

/** What a file's content is derived from; a different contentVersion gives entirely different bytes. */
export interface ContentIdentity {
  seed: number;
  domain: string;
  relativePath: string;
  contentVersion: number;
}

/**
 * The content of a simulated file as a stream of chunks. The bytes are an AES-128-CTR keystream
 * keyed by the file's identity: deterministic, incompressible like real media, produced at memory
 * speed, and never held whole (each chunk is generated when asked for).
 */
export function* generateFileContent(identity: ContentIdentity, size: number, chunkBytes: number = CONTENT_CHUNK_BYTES): Generator<Buffer> {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`A simulated file size must be a whole number of bytes, not ${size}.`);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`A content chunk must be at least one byte, not ${chunkBytes}.`);
  const material = createHash('sha256')
    .update(`iosbr-simulated-content\0${identity.seed}\0${identity.domain}\0${identity.relativePath}\0${identity.contentVersion}`, 'utf8')
    .digest();
  const cipher = createCipheriv('aes-128-ctr', material.subarray(0, 16), material.subarray(16, 32));
  const zeros = Buffer.alloc(Math.min(chunkBytes, Math.max(size, 1)));
  for (let done = 0; done < size; ) {
    const n = Math.min(zeros.length, size - done);
    yield cipher.update(zeros.subarray(0, n));
    done += n;
  }
}
