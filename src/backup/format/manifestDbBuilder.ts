import { promises as fs } from 'node:fs';
import type { Database } from 'sql.js';
import { BackupError } from '../../common/errors';
import { computeFileId } from './fileId';
import type { ManifestEntryInput } from './manifestDb';
import { loadSqlJs } from './sqlJsLoader';

// The layout iOS writes (column order, index names), so a backup staged by us reads like a device's.
const SCHEMA_SQL = [
  'CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB)',
  'CREATE INDEX FilesDomainIdx ON Files(domain)',
  'CREATE INDEX FilesRelativePathIdx ON Files(relativePath)',
  'CREATE INDEX FilesFlagsIdx ON Files(flags)',
  'CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)',
].join(';\n');

/**
 * Writes a new Manifest.db from rows we produce ourselves (the simulated device, test fixtures). It runs on
 * the calling thread because its input is trusted; a Manifest.db read from disk or from a peer goes through
 * the time-limited worker of {@link ManifestDb} instead.
 */
export class ManifestDbBuilder {
  private closed = false;

  private constructor(private readonly db: Database) {}

  /** An empty Manifest.db with the real schema. */
  static async create(): Promise<ManifestDbBuilder> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(SCHEMA_SQL);
    return new ManifestDbBuilder(db);
  }

  /** Inserts or replaces a row and returns its fileID. */
  put(entry: ManifestEntryInput): string {
    return this.putMany([entry])[0];
  }

  /** Inserts or replaces many rows in one transaction with one prepared statement; returns their fileIDs. */
  putMany(entries: Iterable<ManifestEntryInput>): string[] {
    const db = this.live();
    const ids: string[] = [];
    const statement = db.prepare('INSERT OR REPLACE INTO Files (fileID, domain, relativePath, flags, file) VALUES (?, ?, ?, ?, ?)');
    db.run('BEGIN');
    try {
      for (const entry of entries) {
        const fileID = computeFileId(entry.domain, entry.relativePath);
        statement.run([fileID, entry.domain, entry.relativePath, entry.flags, entry.file ?? null]);
        ids.push(fileID);
      }
      db.run('COMMIT');
    } catch (err) {
      db.run('ROLLBACK');
      throw err;
    } finally {
      statement.free();
    }
    return ids;
  }

  /** Sets a value of the Properties table. */
  setProperty(key: string, value: Buffer | Uint8Array | string | number): void {
    this.live().run('INSERT OR REPLACE INTO Properties (key, value) VALUES (?, ?)', [key, value]);
  }

  /** The database as SQLite file bytes. */
  serialize(): Buffer {
    return Buffer.from(this.live().export());
  }

  /** Writes the database to a file. */
  async writeFile(filePath: string): Promise<void> {
    await fs.writeFile(filePath, this.serialize());
  }

  /** Frees the WebAssembly memory; the object is unusable afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private live(): Database {
    if (this.closed) throw new BackupError('Manifest.db was used after it was closed.', 'backup.manifest-closed');
    return this.db;
  }
}
