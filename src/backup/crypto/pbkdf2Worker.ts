/*
 * Worker-thread entry: derives one backup password key and posts it back. The 10,000,000-iteration
 * PBKDF2-HMAC-SHA256 stage takes seconds of CPU, which would freeze the extension host or the
 * simulator's sockets on the main thread. The derivation lives only here, so nothing can call it on the
 * main thread; deriveKeyInWorker (passwordKey.ts) starts this file and terminates it on cancellation.
 * Bundled to dist/pbkdf2Worker.js; compiled to out/src/backup/crypto/pbkdf2Worker.js for the tests.
 */
import { pbkdf2Sync } from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PASSWORD_KEY_BYTES, type PasswordKeyParams } from './passwordKey';

/** PBKDF2-HMAC-SHA256 (DPSL/DPIC) of the UTF-8 password, then PBKDF2-HMAC-SHA1 (SALT/ITER) of that; the first stage only in iOS 10.2+ keybags. */
function derivePasswordKey(params: PasswordKeyParams): Buffer {
  const passwordBytes = Buffer.from(params.password, 'utf8');
  try {
    if (params.sha256 === undefined) {
      return pbkdf2Sync(passwordBytes, params.sha1.salt, params.sha1.iterations, PASSWORD_KEY_BYTES, 'sha1');
    }
    const intermediate = pbkdf2Sync(passwordBytes, params.sha256.salt, params.sha256.iterations, PASSWORD_KEY_BYTES, 'sha256');
    try {
      return pbkdf2Sync(intermediate, params.sha1.salt, params.sha1.iterations, PASSWORD_KEY_BYTES, 'sha1');
    } finally {
      intermediate.fill(0);
    }
  } finally {
    passwordBytes.fill(0);
  }
}

if (!isMainThread && parentPort !== null) {
  const key = derivePasswordKey(workerData as PasswordKeyParams);
  parentPort.postMessage(key);
  key.fill(0);
}
