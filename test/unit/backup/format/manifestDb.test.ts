import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { computeFileId } from '../../../../src/backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb, loadSqlJs, locateSqlWasm } from '../../../../src/backup/format/manifestDb';
import { isBackupError } from '../../../../src/errors';
import { makeTempDir } from './testBackupBuilder';

function assertUnreadable(fragment: string) {
  return (e: unknown): boolean => isBackupError(e) && e.code === 'backup.manifest-db-unreadable' && e.message.includes(fragment);
}

async function sampleDb(): Promise<ManifestDb> {
  const db = await ManifestDb.create();
  db.put({ domain: 'HomeDomain', relativePath: 'Library', flags: MANIFEST_FLAGS.directory, file: Buffer.from('dir-blob') });
  db.put({ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', flags: MANIFEST_FLAGS.file, file: Buffer.from('sms-blob') });
  db.put({ domain: 'MediaDomain', relativePath: 'Media/a.jpg', flags: MANIFEST_FLAGS.file, file: undefined });
  db.put({ domain: 'HomeDomain', relativePath: 'Library/link', flags: MANIFEST_FLAGS.symlink, file: new Uint8Array([1, 2]) });
  return db;
}

describe('backup/format manifestDb', () => {
  it('finds the SQLite WebAssembly file from the compiled output', () => {
    const wasm = locateSqlWasm();
    assert.ok(existsSync(wasm), wasm);
    assert.equal(path.basename(wasm), 'sql-wasm.wasm');
  });

  it('loads sql.js once and shares it', async () => {
    assert.equal(await loadSqlJs(), await loadSqlJs());
  });

  it('creates the real schema: Files, Properties and the three indexes', async () => {
    const db = await ManifestDb.create();
    const SQL = await loadSqlJs();
    const raw = new SQL.Database(db.serialize());
    try {
      const rows = raw.exec("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")[0].values;
      assert.deepEqual(
        rows.map((r) => `${r[0]} ${r[1]}`),
        ['table Files', 'index FilesDomainIdx', 'index FilesFlagsIdx', 'index FilesRelativePathIdx', 'table Properties'],
      );
      const files = rows.find((r) => r[1] === 'Files');
      assert.equal(files?.[2], 'CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB)');
      const properties = rows.find((r) => r[1] === 'Properties');
      assert.equal(properties?.[2], 'CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)');
    } finally {
      raw.close();
      db.close();
    }
  });

  it('writes rows keyed by the computed fileID and reads them back after serializing', async () => {
    const db = await sampleDb();
    const reopened = await ManifestDb.open(db.serialize());
    db.close();
    try {
      assert.equal(reopened.count(), 4);
      const sms = reopened.get(computeFileId('HomeDomain', 'Library/SMS/sms.db'));
      assert.deepEqual(sms, {
        fileID: computeFileId('HomeDomain', 'Library/SMS/sms.db'),
        domain: 'HomeDomain',
        relativePath: 'Library/SMS/sms.db',
        flags: 1,
        file: Buffer.from('sms-blob'),
      });
      assert.deepEqual(reopened.find('HomeDomain', 'Library/link')?.file, Buffer.from([1, 2]));
      assert.equal(reopened.find('MediaDomain', 'Media/a.jpg')?.file, undefined);
      assert.equal(reopened.find('MediaDomain', 'nope'), undefined);
      assert.deepEqual(
        reopened.entries().map((e) => `${e.domain}:${e.relativePath}`),
        ['HomeDomain:Library', 'HomeDomain:Library/SMS/sms.db', 'HomeDomain:Library/link', 'MediaDomain:Media/a.jpg'],
      );
      assert.deepEqual(reopened.entries({ domain: 'MediaDomain' }).map((e) => e.relativePath), ['Media/a.jpg']);
      assert.deepEqual(reopened.entries({ domain: 'HomeDomain', flags: MANIFEST_FLAGS.file }).map((e) => e.relativePath), ['Library/SMS/sms.db']);
      assert.equal(reopened.count({ domain: 'HomeDomain' }), 3);
    } finally {
      reopened.close();
    }
  });

  it('replaces a row with the same domain and path, and deletes rows', async () => {
    const db = await sampleDb();
    try {
      const id = db.put({ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', flags: 1, file: Buffer.from('new') });
      assert.equal(db.count(), 4);
      assert.deepEqual(db.get(id)?.file, Buffer.from('new'));
      assert.equal(db.delete(id), true);
      assert.equal(db.delete(id), false);
      assert.equal(db.count(), 3);
    } finally {
      db.close();
    }
  });

  it('inserts many rows in one transaction', async () => {
    const db = await ManifestDb.create();
    try {
      const ids = db.putMany(
        Array.from({ length: 500 }, (_, i) => ({ domain: 'HomeDomain', relativePath: `f${i}`, flags: 1, file: Buffer.from([i & 0xff]) })),
      );
      assert.equal(ids.length, 500);
      assert.equal(db.count(), 500);
    } finally {
      db.close();
    }
  });

  it('stores Properties values', async () => {
    const db = await ManifestDb.create();
    try {
      db.setProperty('salt', Buffer.from([9, 8, 7]));
      db.setProperty('name', 'x');
      assert.deepEqual(db.getProperty('salt'), Buffer.from([9, 8, 7]));
      assert.equal(db.getProperty('name'), 'x');
      assert.equal(db.getProperty('missing'), undefined);
    } finally {
      db.close();
    }
  });

  it('reads files from disk and tolerates NULL columns', async () => {
    const SQL = await loadSqlJs();
    const raw = new SQL.Database();
    raw.exec('CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB)');
    raw.run('INSERT INTO Files VALUES (?, ?, NULL, NULL, NULL)', ['abc', 'HomeDomain']);
    const dir = await makeTempDir();
    try {
      const file = path.join(dir, 'Manifest.db');
      await fs.writeFile(file, raw.export());
      const db = await ManifestDb.openFile(file);
      assert.deepEqual(db.entries(), [{ fileID: 'abc', domain: 'HomeDomain', relativePath: '', flags: 0, file: undefined }]);
      db.close();
    } finally {
      raw.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('explains garbage, a missing Files table, missing columns and a missing file', async () => {
    await assert.rejects(ManifestDb.open(Buffer.alloc(4096, 0x5a)), assertUnreadable('not an SQLite database'));
    const SQL = await loadSqlJs();
    const other = new SQL.Database();
    other.exec('CREATE TABLE Something (x)');
    await assert.rejects(ManifestDb.open(other.export()), assertUnreadable('no Files table'));
    other.exec('CREATE TABLE Files (fileID TEXT, domain TEXT)');
    await assert.rejects(ManifestDb.open(other.export()), assertUnreadable('lacks the column(s) relativePath, flags, file'));
    other.close();
    await assert.rejects(ManifestDb.openFile('/nonexistent/Manifest.db'), assertUnreadable('ENOENT'));
  });

  it('refuses use after close', async () => {
    const db = await ManifestDb.create();
    db.close();
    db.close();
    assert.throws(() => db.count(), (e: unknown) => isBackupError(e) && e.code === 'backup.manifest-closed');
  });
});
