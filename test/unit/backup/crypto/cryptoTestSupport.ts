import { createHmac } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SeededRandom } from '../../../../src/simulator/dataset/seededRandom';

/** Cuts data into chunks of 1..maxChunk bytes, random but the same for the same seed. */
export function randomChunks(data: Buffer, maxChunk: number, seed: number): Buffer[] {
  const random = new SeededRandom(`chunks ${seed}`);
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const size = 1 + random.int(maxChunk);
    chunks.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** Writes chunks through a Transform (with backpressure) and returns everything it emitted. */
export async function runThrough(transform: Transform, chunks: readonly Buffer[]): Promise<Buffer> {
  const output: Buffer[] = [];
  await pipeline(Readable.from(chunks), transform, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) output.push(chunk);
  });
  return Buffer.concat(output);
}

/**
 * PBKDF2 written from RFC 8018 §5.2 on top of HMAC alone, so the derivation under test is checked
 * against something that does not share crypto.pbkdf2's code path.
 */
export function referencePbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  keyLength: number,
  digest: 'sha1' | 'sha256',
): Buffer {
  const blocks: Buffer[] = [];
  for (let blockIndex = 1; blocks.length * blockSize(digest) < keyLength; blockIndex++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(blockIndex, 0);
    let u = createHmac(digest, password).update(salt).update(counter).digest();
    const t = Buffer.from(u);
    for (let i = 1; i < iterations; i++) {
      u = createHmac(digest, password).update(u).digest();
      for (let j = 0; j < t.length; j++) t[j] ^= u[j];
    }
    blocks.push(t);
  }
  return Buffer.concat(blocks).subarray(0, keyLength);
}

function blockSize(digest: 'sha1' | 'sha256'): number {
  return digest === 'sha1' ? 20 : 32;
}

/** Collects the error a promise rejects with, failing when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}

/** Collects the error a function throws, failing when it returns. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to throw, but it returned.');
}
