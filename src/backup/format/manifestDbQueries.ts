import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import { BackupError } from '../../common/errors';
import { manifestDbUnreadable } from './manifestDbErrors';
import type { ManifestRow, ManifestRowBatch, ManifestRowFilter } from './manifestDbMessages';
import { checkManifestDbSchema } from './manifestDbSchemaCheck';

/** Longest domain or relativePath accepted, in UTF-8 bytes (iOS paths stay far below). */
export const MANIFEST_MAX_PATH_BYTES = 4096;
/** Longest fileID accepted (a real one is 40 hex digits). */
export const MANIFEST_MAX_FILE_ID_CHARS = 256;
/** Largest MBFile blob accepted (a real one is a few hundred bytes, more with extended attributes). */
export const MANIFEST_MAX_RECORD_BYTES = 1024 * 1024;
/** Most rows one walk of the Files table returns (real backups hold a few hundred thousand). */
export const MANIFEST_MAX_ROWS = 5_000_000;
/** A batch ends at this many rows or bytes, whichever comes first, so each message stays small. */
const BATCH_MAX_ROWS = 1000;
const BATCH_MAX_BYTES = 4 * 1024 * 1024;
/** Open cursors per database: callers walk one or two at a time; more means a leak. */
const MAX_OPEN_CURSORS = 16;

const SELECT_COLUMNS = 'SELECT fileID, domain, relativePath, flags, file FROM Files';

interface Cursor {
  statement: Statement;
  delivered: number;
}

/**
 * The read-only queries on one untrusted Manifest.db. Runs inside the Manifest.db worker only: every call
 * is synchronous WebAssembly, which the calling thread stops by terminating the worker when it runs too long.
 */
export class ManifestDbQueries {
  private readonly cursors = new Map<number, Cursor>();
  private nextCursor = 1;

  private constructor(private readonly db: Database) {}

  /** Loads the bytes, hardens the connection and checks the schema before anything reads Files. */
  static open(SQL: SqlJsStatic, bytes: Uint8Array): ManifestDbQueries {
    let db: Database;
    try {
      db = new SQL.Database(bytes);
    } catch (cause) {
      throw manifestDbUnreadable('it could not be loaded by SQLite', cause);
    }
    try {
      checkManifestDbSchema(db);
      // Functions named in the schema only run when marked innocuous, nothing is ever written, and damaged
      // cells are detected while reading instead of being followed.
      db.exec('PRAGMA trusted_schema = OFF; PRAGMA query_only = ON; PRAGMA cell_size_check = ON');
    } catch (err) {
      db.close();
      throw err;
    }
    return new ManifestDbQueries(db);
  }

  count(filter: ManifestRowFilter): number {
    const { where, params } = whereClause(filter);
    const result = this.db.exec(`SELECT count(*) FROM Files${where}`, params);
    return Number(result[0]?.values[0]?.[0] ?? 0);
  }

  get(fileID: string): ManifestRow | undefined {
    const statement = this.db.prepare(`${SELECT_COLUMNS} WHERE fileID = ?`, [fileID]);
    try {
      return statement.step() ? checkedRow(statement) : undefined;
    } finally {
      statement.free();
    }
  }

  /** Starts a walk of Files ordered by domain then path; rows come through {@link readBatch}. */
  openCursor(filter: ManifestRowFilter): number {
    if (this.cursors.size >= MAX_OPEN_CURSORS) throw new BackupError(`More than ${MAX_OPEN_CURSORS} walks of Manifest.db are open at once.`, 'backup.manifest-db-walks');
    const { where, params } = whereClause(filter);
    const statement = this.db.prepare(`${SELECT_COLUMNS}${where} ORDER BY domain, relativePath`, params);
    const id = this.nextCursor++;
    this.cursors.set(id, { statement, delivered: 0 });
    return id;
  }

  readBatch(id: number): ManifestRowBatch {
    const cursor = this.cursors.get(id);
    if (cursor === undefined) return { rows: [], done: true };
    const rows: ManifestRow[] = [];
    let bytes = 0;
    try {
      while (rows.length < BATCH_MAX_ROWS && bytes < BATCH_MAX_BYTES) {
        if (!cursor.statement.step()) {
          this.closeCursor(id);
          return { rows: packFiles(rows), done: true };
        }
        if (++cursor.delivered > MANIFEST_MAX_ROWS) throw manifestDbUnreadable(`its Files table has more than ${MANIFEST_MAX_ROWS} rows`);
        const row = checkedRow(cursor.statement);
        bytes += row.domain.length + row.relativePath.length + (row.file?.byteLength ?? 0);
        rows.push(row);
      }
    } catch (err) {
      this.closeCursor(id);
      throw err;
    }
    return { rows: packFiles(rows), done: false };
  }

  closeCursor(id: number): void {
    this.cursors.get(id)?.statement.free();
    this.cursors.delete(id);
  }
}

function whereClause(filter: ManifestRowFilter): { where: string; params: SqlValue[] } {
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

function checkedRow(statement: Statement): ManifestRow {
  const [fileID, domain, relativePath, flags, file] = statement.get();
  // Real databases are loose about types (NULL paths for domain roots, text where a blob is expected).
  const row: ManifestRow = {
    fileID: fileID === null ? '' : String(fileID),
    domain: domain === null ? '' : String(domain),
    relativePath: relativePath === null ? '' : String(relativePath),
    flags: typeof flags === 'number' ? flags : Number(flags ?? 0) || 0,
    file: file instanceof Uint8Array ? file : typeof file === 'string' ? ownBytes(Buffer.from(file, 'latin1')) : undefined,
  };
  if (row.fileID.length > MANIFEST_MAX_FILE_ID_CHARS) throw overCap('fileID', MANIFEST_MAX_FILE_ID_CHARS, 'characters');
  if (Buffer.byteLength(row.domain) > MANIFEST_MAX_PATH_BYTES) throw overCap('domain', MANIFEST_MAX_PATH_BYTES, 'bytes');
  if (Buffer.byteLength(row.relativePath) > MANIFEST_MAX_PATH_BYTES) throw overCap('relativePath', MANIFEST_MAX_PATH_BYTES, 'bytes');
  if ((row.file?.byteLength ?? 0) > MANIFEST_MAX_RECORD_BYTES) throw overCap('file', MANIFEST_MAX_RECORD_BYTES, 'bytes');
  return row;
}

/**
 * Moves the rows' MBFile blobs into one buffer that the rows view, so the batch crosses to the calling thread
 * as one transferred buffer instead of a thousand cloned ones.
 */
function packFiles(rows: ManifestRow[]): ManifestRow[] {
  const packed = new Uint8Array(rows.reduce((total, row) => total + (row.file?.byteLength ?? 0), 0));
  let offset = 0;
  for (const row of rows) {
    if (row.file === undefined) continue;
    packed.set(row.file, offset);
    row.file = packed.subarray(offset, offset + row.file.byteLength);
    offset += row.file.byteLength;
  }
  return rows;
}

/** The one buffer every blob of a packed batch lives in, to hand over rather than copy. */
export function packedBuffer(batch: ManifestRowBatch): ArrayBuffer | undefined {
  return batch.rows.find((row) => row.file !== undefined)?.file?.buffer as ArrayBuffer | undefined;
}

// A pooled Buffer shares its ArrayBuffer with other values, and posting a view copies the whole ArrayBuffer.
function ownBytes(bytes: Buffer): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes);
}

function overCap(column: string, limit: number, unit: string): Error {
  return manifestDbUnreadable(`a row of its Files table has a ${column} longer than ${limit} ${unit}`);
}
