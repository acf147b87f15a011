import { promises as fs, existsSync } from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import { BackupError } from '../../errors';
import { computeFileId } from './fileId';

export { computeFileId } from './fileId';

/** File name of the SQLite file index in a backup folder. */
export const MANIFEST_DB_FILE = 'Manifest.db';

/** Values of the `flags` column of the Files table. */
export const MANIFEST_FLAGS = { file: 1, directory: 2, symlink: 4 } as const;

/** One row of the Files table of Manifest.db. */
export interface ManifestEntry {
  fileID: string;
  domain: string;
  relativePath: string;
  /** 1 file, 2 directory, 4 symlink (other values are passed through as found). */
  flags: number;
  /** The MBFile NSKeyedArchiver blob; undefined when the column is NULL. */
  file: Buffer | undefined;
}

/** What a caller provides to insert or replace a row; the fileID is derived from domain and path. */
export interface ManifestEntryInput {
  domain: string;
  relativePath: string;
  flags: number;
  file: Buffer | Uint8Array | undefined;
}

/** Row filters for {@link ManifestDb.entries}. */
export interface ManifestEntryFilter {
  domain?: string;
  flags?: number;
}

// The layout iOS writes (column order, index names), so a backup staged by us reads like a device's.
const SCHEMA_SQL = [
  'CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB)',
  'CREATE INDEX FilesDomainIdx ON Files(domain)',
  'CREATE INDEX FilesRelativePathIdx ON Files(relativePath)',
  'CREATE INDEX FilesFlagsIdx ON Files(flags)',
  'CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)',
].join(';\n');

const REQUIRED_FILES_COLUMNS = ['fileID', 'domain', 'relativePath', 'flags', 'file'];

let sqlJsLoading: Promise<SqlJsStatic> | undefined;

/**
 * Path of `sql-wasm.wasm`: beside the bundled script in `dist/`, else the copy inside the sql.js package
 * (running from the tsc output in `out/`).
 */
export function locateSqlWasm(): string {
  const besideScript = path.join(__dirname, 'sql-wasm.wasm');
  if (existsSync(besideScript)) return besideScript;
  try {
    return require.resolve('sql.js/dist/sql-wasm.wasm');
  } catch (cause) {
    throw new BackupError(
      `Cannot open Manifest.db because the SQLite WebAssembly file (sql-wasm.wasm) was found neither at ${besideScript} nor in the sql.js package.`,
      'backup.sqlite-missing',
      undefined,
      { cause },
    );
  }
}

/**
 * Loads the sql.js WebAssembly module once per process and shares it. Everything should open SQLite
 * through here: sql.js keeps the configuration of its first initialisation for the whole process.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!sqlJsLoading) {
    sqlJsLoading = (async () => {
      const wasmPath = locateSqlWasm();
      const bytes = await fs.readFile(wasmPath);
      // Handing over the bytes (rather than a locateFile hook) keeps sql.js from guessing paths inside a bundle.
      const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return initSqlJs({ wasmBinary });
    })();
    // A wasm file that is missing now may be restored later (e.g. a repaired install): allow another try.
    sqlJsLoading.catch(() => {
      sqlJsLoading = undefined;
    });
  }
  return sqlJsLoading;
}

/** An in-memory Manifest.db (Files + Properties tables). Holds metadata only, never file contents. */
export class ManifestDb {
  private closed = false;

  private constructor(private readonly db: Database) {}

  /** Opens Manifest.db bytes, checking that they hold the Files table with the expected columns. */
  static async open(bytes: Uint8Array): Promise<ManifestDb> {
    const SQL = await loadSqlJs();
    let db: Database;
    try {
      db = new SQL.Database(bytes);
    } catch (cause) {
      throw unreadable('it could not be loaded by SQLite', cause);
    }
    try {
      checkFilesTable(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new ManifestDb(db);
  }

  /** Reads and opens a Manifest.db file. */
  static async openFile(filePath: string): Promise<ManifestDb> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(filePath);
    } catch (cause) {
      throw unreadable(`${filePath} could not be read (${errorCode(cause)})`, cause);
    }
    return ManifestDb.open(bytes);
  }

  /** Creates an empty Manifest.db with the real schema. */
  static async create(): Promise<ManifestDb> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(SCHEMA_SQL);
    return new ManifestDb(db);
  }

  /** Number of rows in the Files table. */
  count(filter: ManifestEntryFilter = {}): number {
    const { where, params } = whereClause(filter);
    const result = this.live().exec(`SELECT count(*) FROM Files${where}`, params);
    return Number(result[0]?.values[0]?.[0] ?? 0);
  }

  /** Every row of the Files table (optionally filtered), ordered by domain then path. */
  entries(filter: ManifestEntryFilter = {}): ManifestEntry[] {
    return [...this.iterateEntries(filter)];
  }

  /** Walks the Files table row by row (ordered by domain then path) without building an array. */
  *iterateEntries(filter: ManifestEntryFilter = {}): Generator<ManifestEntry> {
    const { where, params } = whereClause(filter);
    const statement = this.live().prepare(
      `SELECT fileID, domain, relativePath, flags, file FROM Files${where} ORDER BY domain, relativePath`,
      params,
    );
    try {
      while (statement.step()) yield rowToEntry(statement);
    } finally {
      statement.free();
    }
  }

  /** The row with this fileID, if any. */
  get(fileID: string): ManifestEntry | undefined {
    const statement = this.live().prepare(
      'SELECT fileID, domain, relativePath, flags, file FROM Files WHERE fileID = ?',
      [fileID],
    );
    try {
      return statement.step() ? rowToEntry(statement) : undefined;
    } finally {
      statement.free();
    }
  }

  /** The row for this domain and path, looked up by its computed fileID. */
  find(domain: string, relativePath: string): ManifestEntry | undefined {
    return this.get(computeFileId(domain, relativePath));
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

  /** Deletes the row with this fileID; true when a row was removed. */
  delete(fileID: string): boolean {
    const db = this.live();
    db.run('DELETE FROM Files WHERE fileID = ?', [fileID]);
    return db.getRowsModified() > 0;
  }

  /** A value of the Properties table, if present. */
  getProperty(key: string): Buffer | string | number | undefined {
    const statement = this.live().prepare('SELECT value FROM Properties WHERE key = ?', [key]);
    try {
      if (!statement.step()) return undefined;
      const value = statement.get()[0];
      if (value === null || value === undefined) return undefined;
      return value instanceof Uint8Array ? Buffer.from(value) : value;
    } finally {
      statement.free();
    }
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

function checkFilesTable(db: Database): void {
  let columns: string[];
  try {
    const info = db.exec('PRAGMA table_info(Files)');
    // table_info rows are (cid, name, type, notnull, dflt_value, pk).
    columns = (info[0]?.values ?? []).map((row) => String(row[1]));
  } catch (cause) {
    // SQLite only notices garbage (or ciphertext) on the first query, not when the bytes are loaded.
    throw unreadable('it is not an SQLite database (an encrypted Manifest.db looks like this too)', cause);
  }
  if (columns.length === 0) throw unreadable('it has no Files table');
  const missing = REQUIRED_FILES_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) throw unreadable(`its Files table lacks the column(s) ${missing.join(', ')}`);
}

function whereClause(filter: ManifestEntryFilter): { where: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (filter.domain !== undefined) {
    conditions.push('domain = ?');
    params.push(filter.domain);
  }
  if (filter.flags !== undefined) {
    conditions.push('flags = ?');
    params.push(filter.flags);
  }
  return { where: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '', params };
}

function rowToEntry(statement: Statement): ManifestEntry {
  const [fileID, domain, relativePath, flags, file] = statement.get();
  // Real databases are loose about types (NULL paths for domain roots, text where a blob is expected).
  return {
    fileID: fileID === null ? '' : String(fileID),
    domain: domain === null ? '' : String(domain),
    relativePath: relativePath === null ? '' : String(relativePath),
    flags: typeof flags === 'number' ? flags : Number(flags ?? 0) || 0,
    file: file instanceof Uint8Array ? Buffer.from(file) : typeof file === 'string' ? Buffer.from(file, 'latin1') : undefined,
  };
}

function unreadable(because: string, cause?: unknown): BackupError {
  return new BackupError(`Cannot read Manifest.db because ${because}.`, 'backup.manifest-db-unreadable', undefined, {
    cause,
  });
}

function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
}
