import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { isBackupError, isCancelledError } from '../../../../src/common/errors';
import {
  DEFAULT_SHA1_ITERATIONS,
  DEFAULT_SHA256_ITERATIONS,
  PBKDF2_WORKER_FILE_NAME,
  deriveKeyInWorker,
  findPbkdf2WorkerFile,
  passwordKeyDerivationsRunning,
  passwordKeyDerivationsStarted,
  passwordKeyParams,
  type PasswordKeyParams,
} from '../../../../src/backup/crypto/passwordKey';
import { referencePbkdf2, rejectionOf } from './cryptoTestSupport';

const hex = (text: string): string => text.replace(/\s+/g, '').toLowerCase();

const twoStage: PasswordKeyParams = {
  password: 'hunter2 – ünïcödé',
  sha256: { salt: Buffer.from('d1b1f2f7c9a84b8e0b1c2d3e4f5a6b7c8d9e0f10', 'hex'), iterations: 1_000 },
  sha1: { salt: Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f00112233', 'hex'), iterations: 100 },
};
const oneStage: PasswordKeyParams = { password: twoStage.password, sha1: twoStage.sha1 };

describe('backup/crypto passwordKey', () => {
  it('uses the real iteration counts by default', () => {
    assert.equal(DEFAULT_SHA256_ITERATIONS, 10_000_000);
    assert.equal(DEFAULT_SHA1_ITERATIONS, 10_000);
  });

  describe('known-answer tests', () => {
    // RFC 6070 PBKDF2-HMAC-SHA1 vectors. PBKDF2 output is a prefix-stable stream, so the first
    // dkLen bytes of our 32-byte key must equal the published dkLen-byte value.
    const rfc6070 = [
      { password: 'password', salt: 'salt', iterations: 1, expected: '0c60c80f961f0e71f3a9b524af6012062fe037a6' },
      { password: 'password', salt: 'salt', iterations: 2, expected: 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957' },
      { password: 'password', salt: 'salt', iterations: 4096, expected: '4b007901b765489abead49d926f721d065a429c1' },
      {
        password: 'passwordPASSWORDpassword',
        salt: 'saltSALTsaltSALTsaltSALTsaltSALTsalt',
        iterations: 4096,
        expected: '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038',
      },
      { password: 'pass\0word', salt: 'sa\0lt', iterations: 4096, expected: '56fa6aa75548099dcc37d7f03425e0c3' },
    ];
    for (const vector of rfc6070) {
      it(`single-stage (pre-10.2) derivation matches RFC 6070: ${JSON.stringify(vector.password)}, c=${vector.iterations}`, async () => {
        const key = await deriveKeyInWorker({ password: vector.password, sha1: { salt: Buffer.from(vector.salt), iterations: vector.iterations } });
        assert.equal(key.length, 32);
        assert.equal(key.subarray(0, vector.expected.length / 2).toString('hex'), vector.expected);
      });
    }

    // RFC 7914 §11 PBKDF2-HMAC-SHA256 (P=passwd, S=salt, c=1), and the widely published password/salt/4096 value.
    const sha256Vectors = [
      {
        password: 'passwd',
        salt: 'salt',
        iterations: 1,
        expected: hex(`55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc
                       49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31 7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83`),
      },
      { password: 'password', salt: 'salt', iterations: 4096, expected: 'c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a' },
    ];
    for (const vector of sha256Vectors) {
      it(`the reference PBKDF2-HMAC-SHA256 matches the published vector ${JSON.stringify(vector.password)}, c=${vector.iterations}`, () => {
        const reference = referencePbkdf2(Buffer.from(vector.password), Buffer.from(vector.salt), vector.iterations, vector.expected.length / 2, 'sha256');
        assert.equal(reference.toString('hex'), vector.expected);
      });
    }

    it('the reference PBKDF2-HMAC-SHA1 matches RFC 6070', () => {
      for (const vector of rfc6070) {
        const reference = referencePbkdf2(Buffer.from(vector.password), Buffer.from(vector.salt), vector.iterations, vector.expected.length / 2, 'sha1');
        assert.equal(reference.toString('hex'), vector.expected);
      }
    });

    it('two-stage derivation is SHA1-PBKDF2 over the SHA256-PBKDF2 of the UTF-8 password', async () => {
      const password = Buffer.from(twoStage.password, 'utf8');
      const sha256 = twoStage.sha256!;
      const intermediate = referencePbkdf2(password, sha256.salt, sha256.iterations, 32, 'sha256');
      const expected = referencePbkdf2(intermediate, twoStage.sha1.salt, twoStage.sha1.iterations, 32, 'sha1');
      assert.deepEqual(await deriveKeyInWorker(twoStage), expected);
    });

    it('the published SHA256 vector chains into the SHA1 stage', async () => {
      const params: PasswordKeyParams = {
        password: 'password',
        sha256: { salt: Buffer.from('salt'), iterations: 4096 },
        sha1: { salt: Buffer.from('SALT'), iterations: 10 },
      };
      const intermediate = Buffer.from('c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a', 'hex');
      assert.deepEqual(await deriveKeyInWorker(params), referencePbkdf2(intermediate, Buffer.from('SALT'), 10, 32, 'sha1'));
    });
  });

  it('takes one or two stages from the keybag header', () => {
    const salt = randomBytes(20);
    const dpSalt = randomBytes(20);
    assert.deepEqual(passwordKeyParams({ salt, iterations: 7 }, 'pw'), { password: 'pw', sha1: { salt, iterations: 7 } });
    assert.deepEqual(passwordKeyParams({ salt, iterations: 7, dpSalt, dpIterations: 9 }, 'pw'), {
      password: 'pw',
      sha1: { salt, iterations: 7 },
      sha256: { salt: dpSalt, iterations: 9 },
    });
  });

  describe('off the main thread', () => {
    it('finds the compiled worker next to the module', () => {
      const found = findPbkdf2WorkerFile();
      assert.ok(found !== undefined);
      assert.equal(path.basename(found), PBKDF2_WORKER_FILE_NAME);
    });

    it('the worker derivation equals crypto.pbkdf2Sync for both layouts of keybag', async () => {
      const sha256 = twoStage.sha256!;
      const intermediate = pbkdf2Sync(Buffer.from(twoStage.password), sha256.salt, sha256.iterations, 32, 'sha256');
      assert.deepEqual(await deriveKeyInWorker(twoStage), pbkdf2Sync(intermediate, twoStage.sha1.salt, twoStage.sha1.iterations, 32, 'sha1'));
      assert.deepEqual(
        await deriveKeyInWorker(oneStage),
        pbkdf2Sync(Buffer.from(oneStage.password), oneStage.sha1.salt, oneStage.sha1.iterations, 32, 'sha1'),
      );
    });

    it('keeps the event loop responsive while the worker derives', async function () {
      this.slow(3_000);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 20);
      const started = Date.now();
      try {
        const params: PasswordKeyParams = {
          password: 'some cost',
          sha256: { salt: randomBytes(20), iterations: 600_000 },
          sha1: { salt: randomBytes(20), iterations: DEFAULT_SHA1_ITERATIONS },
        };
        const key = await deriveKeyInWorker(params);
        assert.equal(key.length, 32);
      } finally {
        clearInterval(timer);
      }
      const elapsed = Date.now() - started;
      // A blocked main thread would tick at most once; a free one ticks about every 20 ms.
      assert.ok(ticks >= Math.floor(elapsed / 80), `${ticks} ticks in ${elapsed} ms`);
    });

    it('terminates the worker and rejects with CancelledError when aborted', async function () {
      this.timeout(20_000);
      const controller = new AbortController();
      const params: PasswordKeyParams = { password: 'x', sha256: { salt: randomBytes(20), iterations: 50_000_000 }, sha1: twoStage.sha1 };
      const started = Date.now();
      const pending = deriveKeyInWorker(params, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const error = await rejectionOf(pending);
      assert.ok(isCancelledError(error), String(error));
      assert.ok(Date.now() - started < 2_000, 'cancellation should not wait for the derivation');
    });

    it('rejects at once when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      assert.ok(isCancelledError(await rejectionOf(deriveKeyInWorker(twoStage, { signal: controller.signal }))));
    });

    it('aborting stops the worker thread itself, not only the promise', async function () {
      this.timeout(20_000);
      const directory = mkdtempSync(path.join(tmpdir(), 'iosbr-pbkdf2-'));
      try {
        // A stand-in worker that never answers and leaves a heartbeat: once terminated, the heartbeat stops.
        const heartbeat = path.join(directory, 'heartbeat');
        const busy = path.join(directory, 'busy.js');
        writeFileSync(heartbeat, '');
        writeFileSync(busy, `const fs = require('node:fs'); setInterval(() => fs.appendFileSync(${JSON.stringify(heartbeat)}, 'x'), 5);\n`);
        const controller = new AbortController();
        const pending = deriveKeyInWorker(twoStage, { signal: controller.signal, workerFile: busy });
        const started = Date.now();
        while (readFileSync(heartbeat).length === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 10));
        assert.ok(readFileSync(heartbeat).length > 0, 'the worker started');
        controller.abort();
        assert.ok(isCancelledError(await rejectionOf(pending)));
        await new Promise((r) => setTimeout(r, 100));
        const afterAbort = readFileSync(heartbeat).length;
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(readFileSync(heartbeat).length, afterAbort, 'the worker still runs after the abort');
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('runs at most one worker per core at once in the process; the others wait, and a cancelled waiter leaves the queue', async function () {
      this.timeout(20_000);
      const directory = mkdtempSync(path.join(tmpdir(), 'iosbr-pbkdf2-slots-'));
      const cores = availableParallelism();
      const controllers = Array.from({ length: cores + 2 }, () => new AbortController());
      try {
        // Stand-in workers that never answer: each holds its slot until aborted.
        const busy = path.join(directory, 'busy.js');
        writeFileSync(busy, 'setInterval(() => undefined, 1000);\n');
        const startedBefore = passwordKeyDerivationsStarted();
        const pending = controllers.map((c) => deriveKeyInWorker(twoStage, { signal: c.signal, workerFile: busy }).catch((e: unknown) => e));
        await new Promise((r) => setImmediate(r));
        assert.equal(passwordKeyDerivationsRunning(), cores);
        assert.equal(passwordKeyDerivationsStarted() - startedBefore, cores, 'the extra derivations wait without a worker');
        // The last waiter gives up: it is cancelled without ever starting a worker.
        controllers[cores + 1].abort();
        assert.ok(isCancelledError(await pending[cores + 1]));
        // A running one ends: the first waiter takes its slot.
        controllers[0].abort();
        assert.ok(isCancelledError(await pending[0]));
        await new Promise((r) => setImmediate(r));
        assert.equal(passwordKeyDerivationsRunning(), cores);
        assert.equal(passwordKeyDerivationsStarted() - startedBefore, cores + 1, 'the cancelled waiter never started a worker');
      } finally {
        for (const c of controllers) c.abort();
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('never derives on another thread than the worker: without the worker file it refuses with a sentence', async function () {
      this.timeout(20_000);
      // A copy of the compiled tree without pbkdf2Worker.js, as an installation that lost it.
      const compiledSrc = path.resolve(__dirname, '..', '..', '..', '..', 'src');
      const directory = mkdtempSync(path.join(tmpdir(), 'iosbr-noworker-'));
      try {
        cpSync(compiledSrc, path.join(directory, 'src'), { recursive: true, filter: (from) => path.basename(from) !== PBKDF2_WORKER_FILE_NAME });
        const copied = path.join(directory, 'src', 'backup', 'crypto', 'passwordKey.js');
        assert.ok(existsSync(copied) && !existsSync(path.join(path.dirname(copied), PBKDF2_WORKER_FILE_NAME)));
        const isolated = (await import(copied)) as typeof import('../../../../src/backup/crypto/passwordKey');
        assert.equal(isolated.findPbkdf2WorkerFile(), undefined);
        const error = await rejectionOf(isolated.deriveKeyInWorker(twoStage));
        assert.ok(error instanceof Error);
        assert.equal(error.message, 'The backup password key could not be derived because pbkdf2Worker.js is missing from this installation.');
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('refuses iteration counts beyond either stage\'s cap, whoever built the parameters', async () => {
      const started = Date.now();
      const hostileSha1 = await rejectionOf(deriveKeyInWorker({ ...twoStage, sha1: { salt: randomBytes(20), iterations: 5_000_000 } }));
      assert.ok(hostileSha1 instanceof RangeError);
      assert.equal(hostileSha1.message, 'The ITER iteration count must be a whole number from 1 to 1000000, not 5000000.');
      const hostileSha256 = await rejectionOf(deriveKeyInWorker({ ...twoStage, sha256: { salt: randomBytes(20), iterations: 100_000_001 } }));
      assert.ok(hostileSha256 instanceof RangeError);
      assert.ok(Date.now() - started < 1_000, 'refused before deriving anything');
    });

    it('reports a worker that fails as a BackupError', async () => {
      const directory = mkdtempSync(path.join(tmpdir(), 'iosbr-pbkdf2-'));
      try {
        const broken = path.join(directory, 'broken.js');
        writeFileSync(broken, "throw new Error('worker exploded');\n");
        const error = await rejectionOf(deriveKeyInWorker(twoStage, { workerFile: broken }));
        assert.ok(isBackupError(error), String(error));
        assert.equal(error.code, 'backup.key-derivation');
        const silent = path.join(directory, 'silent.js');
        writeFileSync(silent, '');
        const exited = await rejectionOf(deriveKeyInWorker(twoStage, { workerFile: silent }));
        assert.ok(isBackupError(exited), String(exited));
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    });
  });
});
