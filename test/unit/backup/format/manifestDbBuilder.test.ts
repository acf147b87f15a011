import * as assert from 'node:assert/strict';
import { computeFileId } from '../../../../src/backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb } from '../../../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../../../src/backup/format/manifestDbBuilder';
import { loadSqlJs } from '../../../../src/backup/format/sqlJsLoader';
import { isBackupError } from '../../../../src/common/errors';

describe('backup/format manifestDbBuilder', () => {
  it('creates the real schema: Files, Properties and the three indexes', async () => {
    const db = await ManifestDbBuilder.create();
    const SQL = await loadSqlJs();
    const raw = new SQL.Database(db.serialize());
    try {
      const rows = raw.exec("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")[0].values;
      assert.deepEqual(
        rows.map((r) => r.slice(0, 2).join(' ')),
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

  it('replaces a row with the same domain and path, and inserts many rows in one transaction', async () => {
    const builder = await ManifestDbBuilder.create();
    builder.put({ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', flags: 1, file: Buffer.from('old') });
    const id = builder.put({ domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', flags: 1, file: Buffer.from('new') });
    const ids = builder.putMany(Array.from({ length: 500 }, (_, i) => ({ domain: 'HomeDomain', relativePath: `f${i}`, flags: MANIFEST_FLAGS.file, file: Buffer.from([i & 0xff]) })));
    assert.equal(id, computeFileId('HomeDomain', 'Library/SMS/sms.db'));
    assert.equal(ids.length, 500);
    const db = await ManifestDb.open(builder.serialize());
    builder.close();
    try {
      assert.equal(await db.count(), 501);
      assert.deepEqual((await db.get(id))?.file, Buffer.from('new'));
    } finally {
      db.close();
    }
  });

  it('stores Properties values', async () => {
    const builder = await ManifestDbBuilder.create();
    builder.setProperty('salt', Buffer.from([9, 8, 7]));
    builder.setProperty('name', 'x');
    const SQL = await loadSqlJs();
    const raw = new SQL.Database(builder.serialize());
    builder.close();
    try {
      assert.deepEqual(raw.exec('SELECT key, value FROM Properties ORDER BY key')[0].values, [['name', 'x'], ['salt', new Uint8Array([9, 8, 7])]]);
    } finally {
      raw.close();
    }
  });

  it('refuses use after close', async () => {
    const builder = await ManifestDbBuilder.create();
    builder.close();
    builder.close();
    assert.throws(() => builder.serialize(), (e: unknown) => isBackupError(e) && e.code === 'backup.manifest-closed');
  });
});
