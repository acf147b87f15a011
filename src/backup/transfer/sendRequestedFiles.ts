import type { FileHandle } from 'node:fs/promises';
import type { Logger } from '../../common/logger';
import type { DeviceLink } from '../../services/deviceLink';
import {
  buildMultiStatusResponse,
  deviceLinkFailure,
  DL_SEND_CHUNK_BYTES,
  encodeDownloadedFile,
  encodeTransferEnd,
  encodeUnavailableFile,
  type DLFileFailure,
} from '../../services/deviceLinkCodec';
import { isRegularFileError, openRegularFile, readOpenedFile } from '../format/regularFile';

/** A file the device asked for: where it is on disk, or why it cannot be served. */
export type RequestedFile = { devicePath: string; absolute: string } | { devicePath: string; failure: DLFileFailure };

/** What one side wants to hear about the files it serves. */
export interface FileSendingRules {
  /** A file could not be served, before or while it was sent. */
  onUnavailable?: (devicePath: string, failure: DLFileFailure) => void;
  /** File content read for sending, counted as it goes out. */
  onBytes?: (n: number) => void;
  /** A file was sent whole. */
  onFileSent?: () => void;
}

/**
 * Answers DLMessageDownloadFiles: streams each file in 32 KiB blocks (never held whole), or a
 * LocalError block for one that cannot be served, then the transfer end and the status (success,
 * or every failure by path). Only regular files are served: a symlink at the file, a FIFO or a folder
 * gets its error block without being read (and a FIFO without blocking).
 */
export async function sendRequestedFiles(
  link: DeviceLink,
  files: Iterable<RequestedFile> | AsyncIterable<RequestedFile>,
  rules: FileSendingRules,
  logger: Logger,
): Promise<void> {
  const failures = new Map<string, DLFileFailure>();
  const unavailable = (devicePath: string, failure: DLFileFailure): void => {
    failures.set(devicePath, failure);
    rules.onUnavailable?.(devicePath, failure);
  };
  for await (const file of files) {
    if ('failure' in file) {
      unavailable(file.devicePath, file.failure);
      await link.sendRaw(encodeUnavailableFile(file.devicePath, file.failure.text));
      continue;
    }
    let handle: FileHandle;
    let size: number;
    try {
      ({ handle, size } = await openRegularFile(file.absolute, { describe: file.devicePath }));
    } catch (err) {
      const failure = openFailure(err);
      logger.debug('download unavailable', { path: file.devicePath, reason: failure.text });
      unavailable(file.devicePath, failure);
      await link.sendRaw(encodeUnavailableFile(file.devicePath, failure.text));
      continue;
    }
    try {
      let readFailed = false;
      const onReadError = (err: unknown): string => {
        readFailed = true;
        const failure = deviceLinkFailure(err);
        unavailable(file.devicePath, failure);
        return failure.text;
      };
      const source = size <= WHOLE_READ_BYTES ? readWhole(handle, size) : handle.createReadStream({ highWaterMark: DL_SEND_CHUNK_BYTES, autoClose: false });
      const content = counted(source, rules.onBytes);
      for await (const bytes of encodeDownloadedFile(file.devicePath, content, onReadError)) await link.sendRaw(bytes);
      if (!readFailed) rules.onFileSent?.();
    } finally {
      await handle.close();
    }
  }
  await link.sendRaw(encodeTransferEnd());
  if (failures.size > 0) link.send(buildMultiStatusResponse(failures));
  else link.sendStatusResponse(0, undefined, {});
}

/**
 * The device's answer for a file that could not be opened. A refused irregular file is answered by its
 * POSIX code alone, so the device hears "Is a directory", not a sentence holding a host path.
 */
function openFailure(err: unknown): DLFileFailure {
  return deviceLinkFailure(isRegularFileError(err) ? Object.assign(new Error('Not a regular file'), { code: err.posixCode }) : err);
}

/**
 * Files up to this size are read in one call instead of through a read stream: most files of a backup are
 * small, and a stream costs a read per 32 KiB block, one more to see the end, and its own machinery; eight
 * restores at once send tens of thousands of them (bench/README.md, "kitting").
 */
const WHOLE_READ_BYTES = 256 * 1024;

/** The file's content as one buffer, read in one call (see readOpenedFile). */
async function* readWhole(handle: FileHandle, size: number): AsyncGenerator<Buffer> {
  const bytes = await readOpenedFile(handle, size);
  if (bytes.length > 0) yield bytes;
}

/** Passes file content through, counting the bytes as they go out. */
async function* counted(content: AsyncIterable<Buffer>, onBytes: ((n: number) => void) | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of content) {
    onBytes?.(chunk.length);
    yield chunk;
  }
}
