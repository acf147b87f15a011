import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { throwIfCancelled, type CancellationTokenLike } from '../../common/cancellation';
import { BackupError, CancelledError, isCancelledError } from '../../common/errors';
import { fileSystemErrorCode, fileSystemErrorReason } from '../../common/fileSystemErrorText';
import { hashedFilePath } from './fileId';
import { EncryptedBackupError, isUnsafePathError } from './formatErrors';
import { MANIFEST_DB_FILE, MANIFEST_DB_MAX_BYTES, MANIFEST_FLAGS, ManifestDb, type ManifestEntry } from './manifestDb';
import { isManifestEncrypted, readManifestPlist } from './manifestPlist';
import { decodeMbFile, mbFileKindFromMode, type MbFileKind, type MbFileRecord } from './mbFile';
import { PLIST_UNREADABLE_CODE } from './plistDocument';
import { isRegularFileError, openRegularFile, readRegularFile } from './regularFile';
import { resolveInside, splitRelativePath } from './safePath';

/**
 * Where a reader gets a backup's plaintext from. The plain source reads files as they are on disk; a
 * decrypting source implements the same two methods with the keybag, and the reader does not change.
 */
export interface BackupContentSource {
  /** Manifest.db as plain SQLite bytes. */
  readManifestDb(): Promise<Uint8Array>;
  /** The plain content of one regular file; rejects with ENOENT-coded errors when the backup lacks it. */
  openFile(entry: BackupEntry): Promise<Readable>;
}

/** One item of a backup, as `ls` lists it. */
export interface BackupEntry {
  fileID: string;
  domain: string;
  relativePath: string;
  /** Manifest.db flags: 1 file, 2 directory, 4 symlink. */
  flags: number;
  kind: MbFileKind;
  /** Size recorded in the MBFile record (may be stale; extraction copies what is on disk). */
  size?: number;
  /** The decoded MBFile record, when the blob is present and readable. */
  record?: MbFileRecord;
  /** Why the MBFile record could not be decoded. */
  recordProblem?: string;
}

/** Which entries to list or extract. */
export interface BackupEntryFilter {
  /** Exact domain, e.g. "HomeDomain" or "AppDomain-com.example.app". */
  domain?: string;
  /** A relative path: that item, and everything below it when it is a folder. */
  path?: string;
}

/** Options of {@link BackupReader.extract}. */
export interface ExtractOptions extends BackupEntryFilter {
  token?: CancellationTokenLike;
  onProgress?: (progress: ExtractProgress) => void;
}

/** Progress of an extraction, reported after each entry. */
export interface ExtractProgress {
  entriesDone: number;
  entriesTotal: number;
  bytesWritten: number;
  entry: BackupEntry;
}

/** An entry that extraction did not write, and why. */
export interface SkippedEntry {
  domain: string;
  relativePath: string;
  reason: string;
  /**
   * True when the entry should have been written and could not be (its content unreadable or not a regular
   * file, its name refused or not writable); false for what extraction leaves out on purpose (symlinks).
   */
  failed: boolean;
}

/** What an extraction wrote. */
export interface ExtractResult {
  filesWritten: number;
  directoriesCreated: number;
  bytesWritten: number;
  skipped: SkippedEntry[];
}

/** A source that serves an unencrypted backup folder's files as they are on disk. */
export function plainBackupSource(backupDir: string): BackupContentSource {
  return {
    readManifestDb: () => readManifestDbBytes(backupDir),
    openFile: (entry) => openContentFile(backupDir, entry),
  };
}

/** Reads Manifest.db's bytes (plain or encrypted) from a backup folder: a regular file of bounded size only. */
export function readManifestDbBytes(backupDir: string): Promise<Buffer> {
  return readRegularFile(path.join(backupDir, MANIFEST_DB_FILE), MANIFEST_DB_MAX_BYTES, { describe: `${MANIFEST_DB_FILE} in ${backupDir}` });
}

/**
 * Opens the stored content of an entry (`<shard>/<fileID>`) as a stream. Only a regular file inside the
 * backup is opened: no symlink at the file or on the way, no FIFO, no folder; each is refused with a
 * RegularFileError or UnsafePathError naming the file. Opening first makes a missing file fail here, before
 * the caller creates its output file.
 */
export async function openContentFile(backupDir: string, entry: BackupEntry): Promise<Readable> {
  const contentPath = hashedFilePath(backupDir, entry.fileID);
  const { handle } = await openRegularFile(contentPath, { root: backupDir, describe: path.relative(backupDir, contentPath) });
  return handle.createReadStream();
}

/**
 * The plain source for a backup folder after checking Manifest.plist: an encrypted backup is refused with
 * an EncryptedBackupError instead of serving ciphertext.
 */
export async function openPlainBackupSource(backupDir: string): Promise<BackupContentSource> {
  let encrypted = false;
  try {
    encrypted = isManifestEncrypted(await readManifestPlist(backupDir));
  } catch (err) {
    // Without a readable Manifest.plist the database itself tells: ciphertext fails to open as SQLite,
    // with an error that mentions encryption.
    if (!(err instanceof BackupError) || err.code !== PLIST_UNREADABLE_CODE) throw err;
  }
  if (encrypted) throw new EncryptedBackupError(backupDir);
  return plainBackupSource(backupDir);
}

/** Lists and extracts the files of one backup folder through a content source. */
export class BackupReader {
  private constructor(
    readonly backupDir: string,
    private readonly source: BackupContentSource,
    private readonly manifest: ManifestDb,
  ) {}

  /**
   * Opens a backup; without a source, the plain one (which refuses encrypted backups). Aborting `signal`
   * stops a Manifest.db query that is running.
   */
  static async open(backupDir: string, source?: BackupContentSource, signal?: AbortSignal): Promise<BackupReader> {
    const contentSource = source ?? (await openPlainBackupSource(backupDir));
    const manifest = await ManifestDb.open(await contentSource.readManifestDb(), { origin: backupDir, signal, handOver: true });
    return new BackupReader(backupDir, contentSource, manifest);
  }

  /** The entries matching the filter, ordered by domain then path. */
  async listEntries(filter: BackupEntryFilter = {}): Promise<BackupEntry[]> {
    const entries: BackupEntry[] = [];
    for await (const entry of this.iterateEntries(filter)) entries.push(entry);
    return entries;
  }

  /** Walks the entries matching the filter without building an array. */
  async *iterateEntries(filter: BackupEntryFilter = {}): AsyncGenerator<BackupEntry> {
    const pathFilter = filter.path === undefined ? undefined : filter.path.replace(/\/+$/, '');
    for await (const row of this.manifest.iterateEntries({ domain: filter.domain })) {
      if (pathFilter && row.relativePath !== pathFilter && !row.relativePath.startsWith(`${pathFilter}/`)) continue;
      yield entryFromRow(row);
    }
  }

  /**
   * Opens the plain content of one file entry through the reader's source (decrypted for an encrypted
   * backup). Only a regular content file is opened; a missing, linked or irregular one rejects with a
   * RegularFileError naming it. The caller caps how much it reads: the backup is untrusted.
   */
  openEntry(entry: BackupEntry): Promise<Readable> {
    return this.source.openFile(entry);
  }

  /**
   * Copies the matching entries to `<outDir>/<domain>/<relativePath>` as streams (memory stays flat with file
   * size), keeping every path inside `outDir`. All bytes on disk are copied even when the recorded Size
   * differs. Entries that cannot be written safely or lack content are skipped and reported.
   */
  async extract(outDir: string, options: ExtractOptions = {}): Promise<ExtractResult> {
    const { token, onProgress } = options;
    await fs.mkdir(outDir, { recursive: true }).catch((cause: unknown) => {
      throw new BackupError(`Cannot extract into ${outDir} because the folder could not be created: ${fileSystemErrorReason(cause)}.`, 'backup.extract-failed', undefined, { cause });
    });
    // Rows are metadata only; collecting them gives an honest total for progress.
    const entries = await this.listEntries(options);
    const result: ExtractResult = { filesWritten: 0, directoriesCreated: 0, bytesWritten: 0, skipped: [] };
    const skip: SkipEntry = (entry, reason, failed = true) => {
      result.skipped.push({ domain: entry.domain, relativePath: entry.relativePath, reason, failed });
    };
    for (const [index, entry] of entries.entries()) {
      throwIfCancelled(token, 'Extraction');
      try {
        await this.extractEntry(outDir, entry, result, token, skip);
      } catch (err) {
        // One unreadable content file or unwritable name spoils only its entry; a full or read-only disk
        // would fail every later entry too, so it ends the extraction (what was written stays).
        if (isCancelledError(err) || !isPerEntryFailure(err)) throw err;
        const code = errnoCodeOf(err);
        if (code !== undefined && OUTPUT_UNUSABLE_CODES.has(code)) {
          throw new BackupError(
            `Extraction into ${outDir} stopped at ${entry.domain}/${entry.relativePath} because ${fileSystemErrorReason(err)}; ${result.filesWritten} files were extracted before it.`,
            'backup.extract-failed',
            undefined,
            { cause: err },
          );
        }
        skip(entry, err instanceof BackupError ? err.message : `it could not be written in ${outDir} because ${fileSystemErrorReason(err)}`);
      }
      onProgress?.({ entriesDone: index + 1, entriesTotal: entries.length, bytesWritten: result.bytesWritten, entry });
    }
    return result;
  }

  private async extractEntry(
    outDir: string,
    entry: BackupEntry,
    result: ExtractResult,
    token: CancellationTokenLike | undefined,
    skip: SkipEntry,
  ): Promise<void> {
    const destination = await this.destinationFor(outDir, entry, skip);
    if (destination === undefined) return;
    if (entry.kind === 'directory') {
      await fs.mkdir(destination, { recursive: true });
      result.directoriesCreated++;
    } else if (entry.kind === 'file') {
      const written = await this.extractFile(entry, destination, token, skip);
      if (written !== undefined) {
        result.filesWritten++;
        result.bytesWritten += written;
      }
    } else if (entry.kind === 'symlink') {
      // Recreating links would let a later entry write through them; the target is reported instead.
      skip(entry, `symlinks are not recreated (target: ${entry.record?.target ?? 'unknown'})`, false);
    } else {
      skip(entry, `it is neither a file, a folder nor a symlink (flags ${entry.flags})`, false);
    }
  }

  /** Frees the in-memory Manifest.db. */
  close(): void {
    this.manifest.close();
  }

  private async destinationFor(
    outDir: string,
    entry: BackupEntry,
    skip: SkipEntry,
  ): Promise<string | undefined> {
    try {
      // Each part is checked on its own: "/etc/passwd" as a path must be refused, not read as "<domain>//etc/passwd".
      const domainSegments = splitRelativePath(outDir, entry.domain);
      if (domainSegments.length !== 1 || domainSegments[0] !== entry.domain) {
        skip(entry, `its domain "${entry.domain}" is not a single folder name`);
        return undefined;
      }
      splitRelativePath(outDir, entry.relativePath);
      return await resolveInside(outDir, `${entry.domain}/${entry.relativePath}`);
    } catch (err) {
      if (!isUnsafePathError(err)) throw err;
      skip(entry, err.message);
      return undefined;
    }
  }

  /** Streams one file to its destination; returns the bytes written, or undefined when skipped. */
  private async extractFile(
    entry: BackupEntry,
    destination: string,
    token: CancellationTokenLike | undefined,
    skip: SkipEntry,
  ): Promise<number | undefined> {
    // The folder comes first so nothing is awaited between opening the content and piping it.
    await fs.mkdir(path.dirname(destination), { recursive: true });
    let content: Readable;
    try {
      content = await this.source.openFile(entry);
    } catch (err) {
      const missing = isRegularFileError(err) ? err.kind === 'missing' : (err as NodeJS.ErrnoException).code === 'ENOENT';
      // A per-file refusal (a malformed fileID, a key that does not unwrap, a FIFO) spoils only this entry.
      if (err instanceof BackupError && !missing) {
        skip(entry, err.message);
        return undefined;
      }
      if (!missing) throw err;
      // Devices may leave no content file for an empty file; anything else really is missing.
      if (entry.size !== 0) {
        skip(entry, 'its content is missing from the backup');
        return undefined;
      }
      await fs.writeFile(destination, Buffer.alloc(0));
      await applyTimes(destination, entry.record);
      return 0;
    }
    const output = createWriteStream(destination);
    const abort = new AbortController();
    const subscription = token?.onCancellationRequested(() => abort.abort());
    try {
      await pipeline(content, output, { signal: abort.signal });
    } catch (err) {
      content.destroy();
      await fs.rm(destination, { force: true });
      if (abort.signal.aborted) throw new CancelledError('Extraction');
      throw new BackupError(
        fileSystemErrorCode(err) === undefined
          ? `Cannot extract ${entry.domain}/${entry.relativePath} to ${destination} (${err instanceof Error ? err.message : String(err)}).`
          : `Cannot extract ${entry.domain}/${entry.relativePath} to ${destination} because ${fileSystemErrorReason(err)}.`,
        'backup.extract-failed',
        undefined,
        { cause: err },
      );
    } finally {
      subscription?.dispose();
    }
    await applyTimes(destination, entry.record);
    return output.bytesWritten;
  }
}

/** Records an entry that was not written; `failed` is false only for what is left out on purpose. */
type SkipEntry = (entry: BackupEntry, reason: string, failed?: boolean) => void;

// Errors of the output folder that no later entry can avoid.
const OUTPUT_UNUSABLE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/** The POSIX code of an error or of the error it wraps. */
function errnoCodeOf(err: unknown): string | undefined {
  for (let current = err, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
  }
  return undefined;
}

/** A failure that concerns one entry (our refusal, or the file system refusing one name) rather than a bug. */
function isPerEntryFailure(err: unknown): boolean {
  return err instanceof BackupError || errnoCodeOf(err) !== undefined;
}

function entryFromRow(row: ManifestEntry): BackupEntry {
  const entry: BackupEntry = {
    fileID: row.fileID,
    domain: row.domain,
    relativePath: row.relativePath,
    flags: row.flags,
    kind: 'other',
  };
  if (row.file !== undefined) {
    try {
      entry.record = decodeMbFile(row.file);
      entry.size = entry.record.size;
    } catch (err) {
      entry.recordProblem = err instanceof Error ? err.message : String(err);
    }
  }
  entry.kind = kindFromFlags(row.flags) ?? (entry.record ? mbFileKindFromMode(entry.record.mode) : 'other');
  return entry;
}

function kindFromFlags(flags: number): MbFileKind | undefined {
  switch (flags) {
    case MANIFEST_FLAGS.file:
      return 'file';
    case MANIFEST_FLAGS.directory:
      return 'directory';
    case MANIFEST_FLAGS.symlink:
      return 'symlink';
    default:
      return undefined;
  }
}

// The modification time is the one piece of metadata worth carrying over: support staff sort by it.
async function applyTimes(destination: string, record: MbFileRecord | undefined): Promise<void> {
  if (record?.lastModified === undefined || record.lastModified <= 0) return;
  await fs.utimes(destination, record.lastModified, record.lastModified).catch(() => undefined);
}
