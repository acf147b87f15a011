import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { checkBackupPassword } from '../../../../src/backup/crypto/passwordCheck';
import { createKeybag, unlockKeybag, unlockKeybagWithPassword } from '../../../../src/backup/crypto/keybag';
import { parseKeybag } from '../../../../src/backup/crypto/keybagTlv';
import { deriveKeyInWorker, passwordKeyParams } from '../../../../src/backup/crypto/passwordKey';
import { createFileKey, decryptFileData, unwrapFileKey } from '../../../../src/backup/crypto/fileCrypto';
import { rejectionOf, thrownBy } from './cryptoTestSupport';

const RIGHT_PASSWORD = 'Zq7-right-Backup-Secret-41';
const WRONG_PASSWORD = 'Xv9-wrong-Backup-Secret-17';

/** Every piece of text an error could show a user or a log: message, name, string form, stack, causes, own fields. */
function everythingAnErrorSays(error: unknown, depth = 0): string {
  if (depth > 5 || error === null || error === undefined) return '';
  // A thrown non-Error (a plain object, say) is shown whole, fields included, not as '[object Object]'.
  if (!(error instanceof Error)) return typeof error === 'string' ? error : inspect(error, { depth: 5 });
  const fields = JSON.stringify(error, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : value));
  return [error.name, error.message, String(error), error.stack ?? '', fields, everythingAnErrorSays(error.cause, depth + 1)].join('\n');
}

function assertSaysNoPassword(error: unknown): void {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  const text = everythingAnErrorSays(error);
  for (const secret of [RIGHT_PASSWORD, WRONG_PASSWORD]) {
    assert.ok(!text.includes(secret), `${error.name} mentions a password: ${error.message}`);
    assert.ok(!text.includes(Buffer.from(secret).toString('hex')), `${error.name} mentions a password in hex`);
  }
}

describe('backup/crypto errors never reveal the password', () => {
  it('holds for every failure path a password reaches', async () => {
    const created = await createKeybag({ password: RIGHT_PASSWORD, iterations: 3, dpIterations: 3 });
    const errors: unknown[] = [];

    errors.push(await rejectionOf(unlockKeybagWithPassword(created.keybag, WRONG_PASSWORD)));
    errors.push(await rejectionOf(createKeybag({ password: RIGHT_PASSWORD, iterations: 0 })));
    errors.push(await rejectionOf(checkBackupPassword(created.bytes.subarray(0, 30), WRONG_PASSWORD)));

    const aborted = new AbortController();
    aborted.abort();
    errors.push(await rejectionOf(deriveKeyInWorker(passwordKeyParams(created.keybag.header, RIGHT_PASSWORD), { signal: aborted.signal })));
    errors.push(await rejectionOf(deriveKeyInWorker({ password: RIGHT_PASSWORD, sha1: { salt: Buffer.from('s'), iterations: -1 } })));
    errors.push(await rejectionOf(deriveKeyInWorker(passwordKeyParams(created.keybag.header, RIGHT_PASSWORD), { workerFile: path.join(tmpdir(), 'no-such-worker.js') })));

    const directory = mkdtempSync(path.join(tmpdir(), 'iosbr-secret-'));
    try {
      const broken = path.join(directory, 'broken.js');
      writeFileSync(broken, "const { workerData } = require('node:worker_threads'); throw new Error('failed for ' + typeof workerData);\n");
      errors.push(await rejectionOf(deriveKeyInWorker(passwordKeyParams(created.keybag.header, RIGHT_PASSWORD), { workerFile: broken })));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }

    // Keybags whose own bytes carry the password text must not echo it back either.
    const passwordAsTag = Buffer.concat([Buffer.from(RIGHT_PASSWORD), created.bytes]);
    errors.push(thrownBy(() => parseKeybag(passwordAsTag)));
    errors.push(thrownBy(() => unlockKeybag(parseKeybag(created.bytes), Buffer.alloc(32))));

    const { encryptionKey } = createFileKey(1, created.classKeys);
    errors.push(thrownBy(() => unwrapFileKey(encryptionKey, new Map())));
    errors.push(thrownBy(() => decryptFileData(Buffer.alloc(32), Buffer.from(RIGHT_PASSWORD.padEnd(32, '!')))));

    assert.equal(errors.length, 11);
    for (const error of errors) assertSaysNoPassword(error);
  });

  it('says "wrong password" in one sentence', async () => {
    const created = await createKeybag({ password: RIGHT_PASSWORD, iterations: 3, dpIterations: 3 });
    const error = await rejectionOf(unlockKeybagWithPassword(created.keybag, WRONG_PASSWORD));
    assert.ok(error instanceof Error);
    assert.match(error.message, /^[^.]+\.$/);
  });
});
