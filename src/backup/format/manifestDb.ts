import * as path from 'node:path';
import { computeFileId } from './fileId';
import type { ManifestRow, ManifestRowBatch } from './manifestDbMessages';
import { ManifestDbWorkerClient } from './manifestDbWorkerClient';
import { readRegularFile } from './regularFile';

export { computeFileId } from './fileId';

/** File name of the SQLite file index in a backup folder. */
export const MANIFEST_DB_FILE = 'Manifest.db';

/** Largest Manifest.db loaded into memory (a backup of 300,000 files has one of about 300 MB). */
export const MANIFEST_DB_MAX_BYTES = 1024 * 1024 * 1024;

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

/** How {@link ManifestDb.open} reads a database. */
export interface ManifestDbOpenOptions {
  /** Where the database comes from (a backup folder), named when reading it takes too long. */
  origin?: string;
  /** Aborting stops the reading at once: pending and later calls reject with CancelledError. */
  signal?: AbortSignal;
  /** Time limit of each call; by default {@link manifestDbTimeLimitMs} of the database's size. */
  timeLimitMs?: number;
  /**
   * The caller no longer needs the bytes: they move to the worker instead of being copied (a large database
   * is hundreds of MB), and the caller's buffer is left empty.
   */
  handOver?: boolean;
}

// A crafted file small enough to mail is refused or read within the base. Large real databases need the
// allowance: on a 2-core machine at load 17-20, loading a 100 MB (100,000-row) database took up to 7 s and a
// 300 MB one more than 15 s, most of it copying and paging in the bytes; the first rows of a walk wait for a sort.
const TIME_LIMIT_BASE_MS = 10_000;
const TIME_LIMIT_MS_PER_4_MIB = 1_000;

/** The time limit of each call on a database of this many bytes. */
export function manifestDbTimeLimitMs(byteLength: number): number {
  return TIME_LIMIT_BASE_MS + TIME_LIMIT_MS_PER_4_MIB * Math.ceil(byteLength / (4 * 1024 * 1024));
}

/**
 * A Manifest.db read from disk or from a peer (untrusted): Files + Properties tables, metadata only. SQLite
 * runs in a worker thread where every call has a time limit, so a crafted file cannot freeze the calling
 * thread; the schema is checked before any query touches Files. New databases are written with
 * ManifestDbBuilder.
 */
export class ManifestDb {
  private constructor(private readonly worker: ManifestDbWorkerClient) {}

  /** Opens Manifest.db bytes, checking that Files is a plain table with the expected columns. */
  static async open(bytes: Uint8Array, options: ManifestDbOpenOptions = {}): Promise<ManifestDb> {
    const worker = new ManifestDbWorkerClient({
      timeLimitMs: options.timeLimitMs ?? manifestDbTimeLimitMs(bytes.byteLength),
      origin: options.origin,
      signal: options.signal,
    });
    try {
      await worker.call({ op: 'open', bytes: options.handOver === true ? bytes : new Uint8Array(bytes) });
    } catch (err) {
      worker.stop();
      throw err;
    }
    return new ManifestDb(worker);
  }

  /** Reads (as a regular file, no links followed, at most {@link MANIFEST_DB_MAX_BYTES}) and opens a Manifest.db file. */
  static async openFile(filePath: string, options: ManifestDbOpenOptions = {}): Promise<ManifestDb> {
    const bytes = await readRegularFile(filePath, MANIFEST_DB_MAX_BYTES, { describe: `${MANIFEST_DB_FILE} in ${path.dirname(filePath)}` });
    return ManifestDb.open(bytes, { origin: path.dirname(filePath), ...options, handOver: true });
  }

  /** Number of rows in the Files table. */
  count(filter: ManifestEntryFilter = {}): Promise<number> {
    return this.worker.call<number>({ op: 'count', filter: { ...filter } });
  }

  /** Every row of the Files table (optionally filtered), ordered by domain then path. */
  async entries(filter: ManifestEntryFilter = {}): Promise<ManifestEntry[]> {
    const entries: ManifestEntry[] = [];
    for await (const entry of this.iterateEntries(filter)) entries.push(entry);
    return entries;
  }

  /** Walks the Files table (ordered by domain then path) in batches, without building an array. */
  async *iterateEntries(filter: ManifestEntryFilter = {}): AsyncGenerator<ManifestEntry> {
    const cursor = await this.worker.call<number>({ op: 'openCursor', filter: { ...filter } });
    const readBatch = (): Promise<ManifestRowBatch> => this.worker.call<ManifestRowBatch>({ op: 'readBatch', cursor });
    let next: Promise<ManifestRowBatch> | undefined = readBatch();
    try {
      while (next !== undefined) {
        const batch: ManifestRowBatch = await next;
        // The worker steps through the next rows while the caller handles these.
        next = batch.done ? undefined : readBatch();
        for (const row of batch.rows) {
          // An abort or close takes effect at the next row, not after the rest of the batch.
          this.worker.throwIfStopped();
          yield entryOf(row);
        }
      }
    } finally {
      // A caller that stops early leaves a batch in flight and the statement open in the worker.
      if (next !== undefined) {
        await next.catch(() => undefined);
        await this.worker.call({ op: 'closeCursor', cursor }).catch(() => undefined);
      }
    }
  }

  /** The row with this fileID, if any. */
  async get(fileID: string): Promise<ManifestEntry | undefined> {
    const row = await this.worker.call<ManifestRow | undefined>({ op: 'get', fileID });
    return row === undefined ? undefined : entryOf(row);
  }

  /** The row for this domain and path, looked up by its computed fileID. */
  find(domain: string, relativePath: string): Promise<ManifestEntry | undefined> {
    return this.get(computeFileId(domain, relativePath));
  }

  /** Ends the worker and frees its memory; the object is unusable afterwards. */
  close(): void {
    this.worker.stop();
  }
}

function entryOf(row: ManifestRow): ManifestEntry {
  const file = row.file === undefined ? undefined : Buffer.from(row.file.buffer, row.file.byteOffset, row.file.byteLength);
  return { fileID: row.fileID, domain: row.domain, relativePath: row.relativePath, flags: row.flags, file };
}
