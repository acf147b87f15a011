import { randomBytes } from 'node:crypto';

/** A fresh CSP nonce: 16 random bytes from the CSPRNG, base64 (Math.random would be guessable). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}
