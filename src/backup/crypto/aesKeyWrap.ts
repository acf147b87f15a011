import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { KeyUnwrapIntegrityError } from './cryptoErrors';

/*
 * RFC 3394 AES key wrap, written over single-block AES-ECB rather than OpenSSL's id-aesNNN-wrap
 * ciphers: VS Code's Electron builds Node's crypto on BoringSSL, which does not promise those
 * cipher names, while AES-ECB exists everywhere.
 */

/** RFC 3394 §2.2.3.1 default initial value; an unwrap that does not end with it failed the integrity check. */
const DEFAULT_INITIAL_VALUE = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const SEMIBLOCK_BYTES = 8;
const WRAP_ROUNDS = 6;

function ecbAlgorithmFor(kek: Buffer): string {
  switch (kek.length) {
    case 16:
      return 'aes-128-ecb';
    case 24:
      return 'aes-192-ecb';
    case 32:
      return 'aes-256-ecb';
    default:
      throw new RangeError(`An AES key-encryption key must be 16, 24 or 32 bytes, not ${kek.length}.`);
  }
}

/** XORs the 64-bit big-endian step counter t into the integrity register, as RFC 3394 §2.2.1 prescribes. */
function xorStepCounter(register: Buffer, step: number): void {
  let remaining = step;
  for (let index = SEMIBLOCK_BYTES - 1; index >= 0 && remaining > 0; index--) {
    register[index] ^= remaining & 0xff;
    remaining = Math.floor(remaining / 256);
  }
}

/** Wraps key data (a multiple of 8 bytes, at least 16) with an AES key-encryption key (RFC 3394). */
export function aesKeyWrap(kek: Buffer, keyData: Buffer): Buffer {
  if (keyData.length < 2 * SEMIBLOCK_BYTES || keyData.length % SEMIBLOCK_BYTES !== 0) {
    throw new RangeError(`Key data to wrap must be a multiple of 8 bytes and at least 16, not ${keyData.length}.`);
  }
  const cipher = createCipheriv(ecbAlgorithmFor(kek), kek, null);
  cipher.setAutoPadding(false);
  const semiblocks = keyData.length / SEMIBLOCK_BYTES;
  const register = Buffer.from(DEFAULT_INITIAL_VALUE);
  const output = Buffer.from(keyData);
  const block = Buffer.alloc(2 * SEMIBLOCK_BYTES);
  for (let round = 0; round < WRAP_ROUNDS; round++) {
    for (let i = 1; i <= semiblocks; i++) {
      const offset = (i - 1) * SEMIBLOCK_BYTES;
      register.copy(block, 0);
      output.copy(block, SEMIBLOCK_BYTES, offset, offset + SEMIBLOCK_BYTES);
      const encrypted = cipher.update(block);
      encrypted.copy(register, 0, 0, SEMIBLOCK_BYTES);
      xorStepCounter(register, semiblocks * round + i);
      encrypted.copy(output, offset, SEMIBLOCK_BYTES);
      encrypted.fill(0);
    }
  }
  cipher.final();
  block.fill(0);
  return Buffer.concat([register, output]);
}

/** Unwraps RFC 3394-wrapped key data; throws KeyUnwrapIntegrityError when the integrity check fails. */
export function aesKeyUnwrap(kek: Buffer, wrapped: Buffer): Buffer {
  if (wrapped.length < 3 * SEMIBLOCK_BYTES || wrapped.length % SEMIBLOCK_BYTES !== 0) {
    throw new RangeError(`Wrapped key data must be a multiple of 8 bytes and at least 24, not ${wrapped.length}.`);
  }
  const decipher = createDecipheriv(ecbAlgorithmFor(kek), kek, null);
  decipher.setAutoPadding(false);
  const semiblocks = wrapped.length / SEMIBLOCK_BYTES - 1;
  const register = Buffer.from(wrapped.subarray(0, SEMIBLOCK_BYTES));
  const output = Buffer.from(wrapped.subarray(SEMIBLOCK_BYTES));
  const block = Buffer.alloc(2 * SEMIBLOCK_BYTES);
  for (let round = WRAP_ROUNDS - 1; round >= 0; round--) {
    for (let i = semiblocks; i >= 1; i--) {
      const offset = (i - 1) * SEMIBLOCK_BYTES;
      xorStepCounter(register, semiblocks * round + i);
      register.copy(block, 0);
      output.copy(block, SEMIBLOCK_BYTES, offset, offset + SEMIBLOCK_BYTES);
      const decrypted = decipher.update(block);
      decrypted.copy(register, 0, 0, SEMIBLOCK_BYTES);
      decrypted.copy(output, offset, SEMIBLOCK_BYTES);
      decrypted.fill(0);
    }
  }
  decipher.final();
  block.fill(0);
  if (!timingSafeEqual(register, DEFAULT_INITIAL_VALUE)) {
    output.fill(0);
    throw new KeyUnwrapIntegrityError();
  }
  return output;
}
