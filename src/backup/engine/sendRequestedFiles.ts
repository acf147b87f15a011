import { promises as fs } from 'node:fs';
import type { Logger } from '../../logger';
import type { DeviceLink } from '../../services/deviceLink';
import {
  buildMultiStatusResponse,
  DL_SEND_CHUNK_BYTES,
  encodeDownloadedFile,
  encodeTransferEnd,
  encodeUnavailableFile,
  type DLFileFailure,
} from '../../services/deviceLinkCodec';
import { deviceLinkFailure } from './posixErrorText';

/** A file the device asked for: where it is on disk, or why it cannot be served. */
export type RequestedFile = { devicePath: string; absolute: string } | { devicePath: string; failure: DLFileFailure };

/** How one side serves the files a device asks for, and what it wants to hear about them. */
export interface FileSendingRules {
  /** Flags the files are opened with. */
  openFlags: string | number;
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
 * or every failure by path).
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
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(file.absolute, rules.openFlags);
      const stats = await handle.stat();
      if (stats.isDirectory()) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
      if (!stats.isFile()) throw Object.assign(new Error('Not a regular file'), { code: 'EINVAL' });
    } catch (err) {
      await handle?.close();
      const failure = deviceLinkFailure(err);
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
      const content = counted(handle.createReadStream({ highWaterMark: DL_SEND_CHUNK_BYTES, autoClose: false }), rules.onBytes);
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

/** Passes file content through, counting the bytes as they go out. */
async function* counted(content: AsyncIterable<Buffer>, onBytes: ((n: number) => void) | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of content) {
    onBytes?.(chunk.length);
    yield chunk;
  }
}
