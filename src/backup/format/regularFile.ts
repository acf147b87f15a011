import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackupError, errorGuard } from '../../common/errors';
import { fileSystemErrorReason } from '../../common/fileSystemErrorText';
import { resolveInside } from './safePath';

// O_NOFOLLOW: a symlink as the file itself fails with ELOOP instead of serving whatever it points at.
// O_NONBLOCK: opening a FIFO returns at once instead of parking a libuv thread until a writer appears
// (four such opens stall every file call of the process). Windows has neither flag.
const OPEN_UNTRUSTED_READ = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

/** What a path that is not a readable regular file turned out to be. */
export type IrregularFileKind = 'missing' | 'folder' | 'symlink' | 'fifo' | 'socket' | 'device' | 'too-large' | 'unreadable';

/** The BackupError code of {@link RegularFileError}. */
export const REGULAR_FILE_ERROR_CODE = 'backup.file-unreadable';

/** A file of an untrusted folder is missing, is not a regular file, is too large, or cannot be opened. */
export class RegularFileError extends BackupError {
  constructor(
    message: string,
    readonly filePath: string,
    readonly kind: IrregularFileKind,
    /** The POSIX error code that stands for the problem ("ENOENT", "EISDIR", "ELOOP", "EINVAL", "EFBIG", …). */
    readonly posixCode: string,
    options?: { cause?: unknown },
  ) {
    super(message, REGULAR_FILE_ERROR_CODE, undefined, options);
    this.name = 'RegularFileError';
  }
}

/** True when the error is a RegularFileError. */
export const isRegularFileError = errorGuard(RegularFileError);

/** Options of {@link openRegularFile}. */
export interface OpenRegularFileOptions {
  /** Refuse a file larger than this many bytes. */
  maxBytes?: number;
  /** How the file is named in errors, e.g. relative to the backup ("Info.plist"); defaults to the path. */
  describe?: string;
  /**
   * The folder the file must stay in. Every folder on the way is resolved and must lie inside it, so a
   * symlinked folder (a shard folder pointing at /etc) cannot lead the open outside.
   */
  root?: string;
}

/** An open regular file and its size when it was opened. */
export interface OpenedRegularFile {
  handle: fs.FileHandle;
  size: number;
}

/**
 * The one way to open a file from an untrusted folder: no-follow and non-blocking, then fstat on the
 * handle, so only a regular file is ever read. Anything else is a RegularFileError with one sentence.
 */
export async function openRegularFile(filePath: string, options: OpenRegularFileOptions = {}): Promise<OpenedRegularFile> {
  const name = options.describe ?? filePath;
  const target = options.root === undefined ? filePath : await resolveInside(options.root, path.relative(options.root, filePath));
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(target, OPEN_UNTRUSTED_READ);
  } catch (cause) {
    throw openFailure(name, filePath, cause);
  }
  try {
    const stats = await handle.stat().catch((cause: unknown) => {
      throw openFailure(name, filePath, cause, 'read');
    });
    const kind: IrregularFileKind | undefined = stats.isFile()
      ? undefined
      : stats.isDirectory()
        ? 'folder'
        : stats.isFIFO()
          ? 'fifo'
          : stats.isSocket()
            ? 'socket'
            : 'device';
    if (kind !== undefined) throw irregular(name, filePath, kind);
    if (options.maxBytes !== undefined && stats.size > options.maxBytes) {
      throw new RegularFileError(
        `Cannot read ${name} because it is ${stats.size} bytes, more than the ${options.maxBytes} bytes such a file may have.`,
        filePath,
        'too-large',
        'EFBIG',
      );
    }
    return { handle, size: stats.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Reads a whole regular file of an untrusted folder, refusing it when it is larger than `maxBytes`.
 * Reads at most the size seen when it was opened, so a file that keeps growing cannot keep the read going.
 */
export async function readRegularFile(filePath: string, maxBytes: number, options: Omit<OpenRegularFileOptions, 'maxBytes'> = {}): Promise<Buffer> {
  const { handle, size } = await openRegularFile(filePath, { ...options, maxBytes });
  try {
    return await readOpenedFile(handle, size);
  } catch (cause) {
    throw openFailure(options.describe ?? filePath, filePath, cause, 'read');
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads an opened file from its start, at most `size` bytes (the size seen when it was opened): one call
 * unless the system returns less; a file that shrank meanwhile gives what it has now.
 */
export async function readOpenedFile(handle: fs.FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.alloc(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? bytes : bytes.subarray(0, filled);
}

const KIND_TEXT: Record<Exclude<IrregularFileKind, 'missing' | 'too-large' | 'unreadable'>, { text: string; posixCode: string }> = {
  folder: { text: 'it is a folder, not a file', posixCode: 'EISDIR' },
  symlink: { text: 'it is a symlink, and links are not followed inside a backup', posixCode: 'ELOOP' },
  fifo: { text: 'it is a named pipe (FIFO), not a file', posixCode: 'EINVAL' },
  socket: { text: 'it is a socket, not a file', posixCode: 'EINVAL' },
  device: { text: 'it is a device, not a file', posixCode: 'EINVAL' },
};

function irregular(name: string, filePath: string, kind: keyof typeof KIND_TEXT): RegularFileError {
  const { text, posixCode } = KIND_TEXT[kind];
  return new RegularFileError(`Cannot read ${name} because ${text}.`, filePath, kind, posixCode);
}

function openFailure(name: string, filePath: string, cause: unknown, step: 'opened' | 'read' = 'opened'): RegularFileError {
  if (isRegularFileError(cause)) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  // O_NOFOLLOW reports a symlink as ELOOP on Linux and macOS, EMLINK on FreeBSD.
  if (code === 'ELOOP' || code === 'EMLINK') return irregular(name, filePath, 'symlink');
  if (code === 'EISDIR' || code === 'ERR_FS_EISDIR') return irregular(name, filePath, 'folder');
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new RegularFileError(`Cannot read ${name} because it does not exist.`, filePath, 'missing', 'ENOENT', { cause });
  }
  // The code stays in posixCode for callers that answer a device; the person reads what it means.
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code === undefined ? `it could not be ${step} (${fileSystemErrorReason(cause)})` : fileSystemErrorReason(cause);
  return new RegularFileError(`Cannot read ${name} because ${reason}.`, filePath, 'unreadable', code, { cause });
}
