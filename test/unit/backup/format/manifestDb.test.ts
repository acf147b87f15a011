import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { computeFileId } from '../../../../src/backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb } from '../../../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../../../src/backup/format/manifestDbBuilder';
import { MANIFEST_MAX_PATH_BYTES } from '../../../../src/backup/format/manifestDbQueries';
import { loadSqlJs, locateSqlWasm } from '../../../../src/backup/format/sqlJsLoader';
import { isBackupError, isCancelledError } from '../../../../src/common/errors';
import { makeTempDir } from '../../../builders/testBackupBuilder';

/** A crafted file must be refused well within this (the schema is checked before any query touches Files). */
const REFUSED_WITHIN_MS = 5_000;

function assertUnreadable(fragment: string) {
  return (e: unknown): boolean => isBackupError(e) && e.code === 'backup.manifest-db-unreadable' && e.message.includes(fragment);
}

async function sampleDb(): Promise<Buffer> {
  const db = await ManifestDbBuilder.create();
  db.put({ domain: 'HomeDomain', relativePath: 'Library', flags: MANIFEST_FLAGS.directory, file: Buffer.from('dir-blob') });
  db.put({ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', flags: MANIFEST_FLAGS.file, file: Buffer.from('sms-blob') });
  db.put({ domain: 'MediaDomain', relativePath: 'Media/a.jpg', flags: MANIFEST_FLAGS.file, file: undefined });
  db.put({ domain: 'HomeDomain', relativePath: 'Library/link', flags: MANIFEST_FLAGS.symlink, file: new Uint8Array([1, 2]) });
  const bytes = db.serialize();
  db.close();
  return bytes;
}

/** A database built from SQL with sql.js itself, the way a crafted Manifest.db would be made. */
async function craftedDb(sql: string): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const raw = new SQL.Database();
  try {
    raw.exec(sql);
    return raw.export();
  } finally {
    raw.close();
  }
}

/** Rows with n generated files, written in one statement so thousands cost milliseconds. */
async function dbWithRows(n: number): Promise<Uint8Array> {
  return craftedDb(`CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})
    INSERT INTO Files SELECT printf('%040d', i), 'HomeDomain', printf('f%06d', i), 1, randomblob(100) FROM n;`);
}

async function refusedQuickly(bytes: Uint8Array, fragment: string): Promise<void> {
  const started = Date.now();
  await assert.rejects(ManifestDb.open(bytes), assertUnreadable(fragment));
  assert.ok(Date.now() - started < REFUSED_WITHIN_MS, `refused only after ${Date.now() - started} ms`);
}

const FILES_COLUMNS = 'fileID TEXT, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB';

describe('backup/format manifestDb', function () {
  this.timeout(60_000);

  it('finds the SQLite WebAssembly file from the compiled output', () => {
    const wasm = locateSqlWasm();
    assert.ok(existsSync(wasm), wasm);
    assert.equal(path.basename(wasm), 'sql-wasm.wasm');
  });

  it('loads sql.js once and shares it', async () => {
    assert.equal(await loadSqlJs(), await loadSqlJs());
  });

  it('reads rows back by fileID, by domain and path, filtered and ordered', async () => {
    const db = await ManifestDb.open(await sampleDb());
    try {
      assert.equal(await db.count(), 4);
      assert.deepEqual(await db.get(computeFileId('HomeDomain', 'Library/SMS/sms.db')), {
        fileID: computeFileId('HomeDomain', 'Library/SMS/sms.db'),
        domain: 'HomeDomain',
        relativePath: 'Library/SMS/sms.db',
        flags: 1,
        file: Buffer.from('sms-blob'),
      });
      assert.deepEqual((await db.find('HomeDomain', 'Library/link'))?.file, Buffer.from([1, 2]));
      assert.equal((await db.find('MediaDomain', 'Media/a.jpg'))?.file, undefined);
      assert.equal(await db.find('MediaDomain', 'nope'), undefined);
      assert.deepEqual(
        (await db.entries()).map((e) => `${e.domain}:${e.relativePath}`),
        ['HomeDomain:Library', 'HomeDomain:Library/SMS/sms.db', 'HomeDomain:Library/link', 'MediaDomain:Media/a.jpg'],
      );
      assert.deepEqual((await db.entries({ domain: 'MediaDomain' })).map((e) => e.relativePath), ['Media/a.jpg']);
      assert.deepEqual((await db.entries({ domain: 'HomeDomain', flags: MANIFEST_FLAGS.file })).map((e) => e.relativePath), ['Library/SMS/sms.db']);
      assert.equal(await db.count({ domain: 'HomeDomain' }), 3);
    } finally {
      db.close();
    }
  });

  it('copies the bytes it is given unless they are handed over, in which case they move to the worker', async () => {
    const kept = await sampleDb();
    const copy = Buffer.from(kept);
    const reader = await ManifestDb.open(kept);
    reader.close();
    assert.deepEqual(kept, copy);
    const handed = new Uint8Array(copy);
    const moved = await ManifestDb.open(handed, { handOver: true });
    try {
      assert.equal(handed.byteLength, 0);
      assert.equal(await moved.count(), 4);
    } finally {
      moved.close();
    }
    // A view into a larger buffer cannot move without taking its neighbours along: it is copied.
    const framed = Buffer.concat([Buffer.from('head'), copy, Buffer.from('tail')]);
    const view = framed.subarray(4, 4 + copy.length);
    const fromView = await ManifestDb.open(view, { handOver: true });
    fromView.close();
    assert.equal(framed.subarray(0, 4).toString(), 'head');
    assert.deepEqual(view, copy);
  });

  it('walks thousands of rows in order across batches, and a walk stopped early frees its statement', async () => {
    const db = await ManifestDb.open(await dbWithRows(2500));
    try {
      let expected = 1;
      for await (const entry of db.iterateEntries()) {
        assert.equal(entry.relativePath, `f${String(expected).padStart(6, '0')}`);
        assert.equal(entry.file?.length, 100);
        expected++;
      }
      assert.equal(expected, 2501);
      // The worker allows 16 open walks; 40 abandoned ones only pass when each is freed.
      for (let i = 0; i < 40; i++) {
        for await (const entry of db.iterateEntries()) {
          assert.equal(entry.relativePath, 'f000001');
          break;
        }
      }
      assert.equal(await db.count(), 2500);
    } finally {
      db.close();
    }
  });

  it('reads files from disk and tolerates NULL columns', async () => {
    const dir = await makeTempDir();
    try {
      const file = path.join(dir, 'Manifest.db');
      await fs.writeFile(file, await craftedDb(`CREATE TABLE Files (${FILES_COLUMNS}); INSERT INTO Files VALUES ('abc', 'HomeDomain', NULL, NULL, NULL);`));
      const db = await ManifestDb.openFile(file);
      try {
        assert.deepEqual(await db.entries(), [{ fileID: 'abc', domain: 'HomeDomain', relativePath: '', flags: 0, file: undefined }]);
      } finally {
        db.close();
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('explains garbage, a missing Files table, missing columns, a missing file and a symlink', async () => {
    await assert.rejects(ManifestDb.open(Buffer.alloc(4096, 0x5a)), assertUnreadable('not an SQLite database'));
    await assert.rejects(ManifestDb.open(await craftedDb('CREATE TABLE Something (x)')), assertUnreadable('no Files table'));
    await assert.rejects(ManifestDb.open(await craftedDb('CREATE TABLE Files (fileID TEXT, domain TEXT)')), assertUnreadable('lacks the column(s) relativePath, flags, file'));
    await assert.rejects(ManifestDb.openFile('/nonexistent/Manifest.db'), (e: unknown) => isBackupError(e) && e.message === 'Cannot read Manifest.db in /nonexistent because it does not exist.');
    const dir = await makeTempDir();
    try {
      await fs.writeFile(path.join(dir, 'elsewhere.db'), await sampleDb());
      await fs.symlink(path.join(dir, 'elsewhere.db'), path.join(dir, 'Manifest.db'));
      await assert.rejects(ManifestDb.openFile(path.join(dir, 'Manifest.db')), (e: unknown) => isBackupError(e) && /because it is a symlink/.test(e.message));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a Files that is an endless recursive view, in bounded time', async () => {
    const endless = await craftedDb(`CREATE VIEW Files AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
      SELECT printf('%040d', i) AS fileID, 'HomeDomain' AS domain, 'p' || i AS relativePath, 1 AS flags, NULL AS file FROM n`);
    await refusedQuickly(endless, 'its Files is a view, not a table');
    // SQLite matches names without regard to case: a view "files" answers queries on Files.
    await refusedQuickly(await craftedDb(`CREATE TABLE Other (${FILES_COLUMNS}); CREATE VIEW files AS SELECT * FROM Other`), 'its Files is a view');
  });

  it('refuses triggers, a virtual Files table and generated columns', async () => {
    await refusedQuickly(
      await craftedDb(`CREATE TABLE Files (${FILES_COLUMNS}); CREATE TABLE Log (x); CREATE TRIGGER t AFTER INSERT ON Log BEGIN DELETE FROM Log; END;`),
      'it contains triggers',
    );
    await refusedQuickly(await craftedDb('CREATE VIRTUAL TABLE Files USING fts4(fileID, domain, relativePath, flags, file)'), 'its Files is a virtual table');
    await refusedQuickly(
      await craftedDb(`CREATE TABLE Files (fileID TEXT, domain TEXT, relativePath TEXT, flags INTEGER, seed INTEGER, file BLOB GENERATED ALWAYS AS (zeroblob(seed)) VIRTUAL)`),
      'generated or hidden columns',
    );
  });

  it('refuses a header that claims two billion pages, in bounded time', async () => {
    const crafted = Buffer.from(await sampleDb());
    // Offset 28: the in-header page count, trusted when offset 92 (version-valid-for) equals the change counter at 24.
    crafted.writeUInt32BE(0x7fffffff, 28);
    crafted.writeUInt32BE(crafted.readUInt32BE(24), 92);
    await refusedQuickly(crafted, 'not an SQLite database');
  });

  it('refuses a row whose path is longer than the cap, naming the column', async () => {
    const db = await ManifestDb.open(await craftedDb(`CREATE TABLE Files (${FILES_COLUMNS}); INSERT INTO Files VALUES ('a', 'HomeDomain', printf('%.*c', ${MANIFEST_MAX_PATH_BYTES + 1}, 'x'), 1, NULL);`));
    try {
      await assert.rejects(db.entries(), assertUnreadable(`a row of its Files table has a relativePath longer than ${MANIFEST_MAX_PATH_BYTES} bytes`));
    } finally {
      db.close();
    }
  });

  it('stops a walk at once when its signal is aborted', async () => {
    const abort = new AbortController();
    const db = await ManifestDb.open(await dbWithRows(3000), { signal: abort.signal });
    try {
      let seen = 0;
      const walk = (async () => {
        for await (const entry of db.iterateEntries()) {
          assert.ok(entry);
          if (++seen === 10) abort.abort();
        }
      })();
      await assert.rejects(walk, (e: unknown) => isCancelledError(e) && e.message === 'Reading Manifest.db was cancelled.');
      // Not one more row once aborted, although the batch in hand holds hundreds.
      assert.equal(seen, 10);
      await assert.rejects(db.count(), (e: unknown) => isCancelledError(e));
    } finally {
      db.close();
    }
  });

  it('refuses use after close', async () => {
    const db = await ManifestDb.open(await sampleDb());
    db.close();
    db.close();
    await assert.rejects(db.count(), (e: unknown) => isBackupError(e) && e.code === 'backup.manifest-closed');
  });
});
