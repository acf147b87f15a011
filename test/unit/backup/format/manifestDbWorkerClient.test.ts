import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ManifestDbWorkerClient } from '../../../../src/backup/format/manifestDbWorkerClient';
import { isBackupError } from '../../../../src/common/errors';
import { makeTempDir } from '../../../builders/testBackupBuilder';

// A worker that answers every request by running an endless query inside SQLite's WebAssembly: what a schema
// check that missed something would lead to. Only terminating the thread can stop it.
const ENDLESS_SQLITE_WORKER = `
const { parentPort } = require('node:worker_threads');
const initSqlJs = require(${JSON.stringify(require.resolve('sql.js'))});
parentPort.on('message', async () => {
  const SQL = await initSqlJs();
  new SQL.Database().exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n');
});
`;

describe('backup/format manifestDbWorkerClient', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('terminates a worker stuck in an endless SQLite query after the time limit, with one sentence', async () => {
    const workerFile = path.join(dir, 'endlessWorker.js');
    await fs.writeFile(workerFile, ENDLESS_SQLITE_WORKER);
    const client = new ManifestDbWorkerClient({ timeLimitMs: 1_500, origin: '/backups/ABC', workerFile });
    const sentence = 'Manifest.db in /backups/ABC took longer than 1.5 s to read; the file may be crafted or damaged.';
    const isTimeout = (e: unknown): boolean => isBackupError(e) && e.code === 'backup.manifest-db-timeout' && e.message === sentence;
    const started = Date.now();
    await assert.rejects(client.call({ op: 'count', filter: {} }), isTimeout);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1_400 && elapsed < 5_000, `stopped after ${elapsed} ms`);
    // The worker is gone: later requests fail at once with the same sentence instead of queueing behind it.
    const again = Date.now();
    await assert.rejects(client.call({ op: 'count', filter: {} }), isTimeout);
    assert.ok(Date.now() - again < 100);
  });
});
