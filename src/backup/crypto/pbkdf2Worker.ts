/*
 * Worker-thread entry: derives one backup password key and posts it back. The 10,000,000-iteration
 * PBKDF2-HMAC-SHA256 stage takes seconds of CPU, which would freeze the extension host or the
 * simulator's sockets on the main thread. Bundled to dist/pbkdf2Worker.js; compiled to
 * out/src/backup/crypto/pbkdf2Worker.js for the tests.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { derivePasswordKeySync, type PasswordKeyParams } from './passwordKey';

if (!isMainThread && parentPort !== null) {
  const key = derivePasswordKeySync(workerData as PasswordKeyParams);
  parentPort.postMessage(key);
  key.fill(0);
}
