import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_DB_FILE } from '../../../src/backup/format/manifestDb';
import { loadSqlJs } from '../../../src/backup/format/sqlJsLoader';
import { CLI, runCli, type RunResult } from '../../helpers/simulatorHarness';
import { makeTempDir, writeTestBackup } from '../../builders/testBackupBuilder';

/** A CLI run against a crafted Manifest.db must end well within this. */
const BOUNDED_MS = 20_000;
/** After SIGTERM/SIGINT the CLI must be gone within this (its grace period is 3 s). */
const AFTER_SIGNAL_MS = 5_000;
/** Enough rows that listing them takes seconds, so a signal lands while the worker is still stepping through Files. */
const MANY_ROWS = 150_000;

/** Exit 1, no stack, every stderr line one sentence. */
function assertOneSentenceFailure(r: RunResult): void {
  assert.equal(r.code, 1, r.stderr);
  assert.ok(!/^\s+at /m.test(r.stderr), `a stack trace leaked:\n${r.stderr}`);
  for (const line of r.stderr.trim().split('\n')) assert.match(line, /^\S.*[.)]$/, `not one sentence per line:\n${r.stderr}`);
}

async function writeManifestDb(backupDir: string, sql: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.exec(sql);
    await fs.writeFile(path.join(backupDir, MANIFEST_DB_FILE), db.export());
  } finally {
    db.close();
  }
}

/** Starts `iosbr ls <dir>`, sends `signal` once the listing has begun, and reports how the process ended. */
function signalDuringListing(dir: string, signal: NodeJS.Signals): Promise<RunResult & { lines: number; afterSignalMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'ls', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt: number | undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (signalledAt === undefined) {
        signalledAt = Date.now();
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ls did not end after ${signal}; stderr: ${stderr}`));
    }, BOUNDED_MS + AFTER_SIGNAL_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const afterSignalMs = signalledAt === undefined ? -1 : Date.now() - signalledAt;
      resolve({ code, stdout, stderr, lines: stdout.split('\n').filter(Boolean).length, afterSignalMs });
    });
  });
}

describe('CLI ls on hostile and large Manifest.db files', function () {
  this.timeout(120_000);
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-manifestdb-cli-');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('a Files that is an endless recursive view: exit 1 with one sentence, in bounded time', async () => {
    const dir = await writeTestBackup(root, { items: [] });
    await writeManifestDb(
      dir,
      `CREATE VIEW Files AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
       SELECT printf('%040d', i) AS fileID, 'HomeDomain' AS domain, 'f' || i AS relativePath, 1 AS flags, NULL AS file FROM n`,
    );
    const started = Date.now();
    const r = await runCli(['ls', dir], process.env, { timeoutMs: BOUNDED_MS });
    assertOneSentenceFailure(r);
    assert.equal(r.stderr.trim(), 'Cannot read Manifest.db because its Files is a view, not a table.');
    assert.equal(r.stdout, '');
    assert.ok(Date.now() - started < BOUNDED_MS);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} while a large Manifest.db is being read: the process ends at once with one sentence`, async () => {
      const dir = await writeTestBackup(root, { items: [] });
      await writeManifestDb(
        dir,
        `CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MANY_ROWS})
         INSERT INTO Files SELECT printf('%040d', i), 'HomeDomain', printf('Library/f%07d', i), 2, NULL FROM n;`,
      );
      const r = await signalDuringListing(dir, signal);
      assertOneSentenceFailure(r);
      assert.equal(r.stderr.trim(), 'Reading Manifest.db was cancelled.');
      assert.ok(r.lines < MANY_ROWS, `all ${r.lines} rows were listed although ${signal} came first`);
      assert.ok(r.afterSignalMs < AFTER_SIGNAL_MS, `ended ${r.afterSignalMs} ms after ${signal}`);
    });
  }
});
