import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../logger';
import { silentLogger } from '../../logger';
import { DL_LOOP_END, type DeviceLink, type DLRequestHandlers } from '../../services/deviceLink';
import {
  buildDirectoryContents,
  buildMultiStatusResponse,
  deviceErrorFromErrno,
  DL_DEVICE_ERROR,
  DL_FILE_TYPE,
  DL_SEND_CHUNK_BYTES,
  encodeDownloadedFile,
  encodeTransferEnd,
  encodeUnavailableFile,
  type DLDirectoryEntry,
  type DLFileFailure,
  type DLMessageOf,
} from '../../services/deviceLinkCodec';
import { parseFinalResult, type Mobilebackup2Result } from '../../services/mobilebackup2';
import type { DevicePathMapper, MappedPath } from '../engine/devicePathMapper';
import { createFreshFile } from '../engine/freshFile';
import { posixErrorCode, posixErrorText } from '../engine/posixErrorText';
import { IN_PROGRESS_MARKER } from '../format/backupFolder';
import { isUnsafePathError } from '../format/formatErrors';
import { isInsideFolder } from '../format/safePath';
import type { RestoreProgressTracker } from './restoreProgress';

/** How the restore's request loop ended. */
export type RestoreLoopEnd =
  | { kind: 'result'; result: Mobilebackup2Result }
  | { kind: 'disconnect'; reason: string | undefined };

/** The text sent with a refused path: the host will not serve anything outside the backup folder. */
export const REFUSED_PATH_TEXT = 'Operation not permitted';

/** Read timeout per piece of an upload: data keeps flowing, a long stall means a dead link. */
const UPLOAD_READ_TIMEOUT_MS = 120_000;

// O_NOFOLLOW makes the open fail on a symlink swapped in after the path was checked; Windows has none.
const OPEN_READ_NO_FOLLOW = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);

/** A mapped path, or the failure to answer for a path that is refused or cannot be checked. */
type MapOutcome = { ok: true; mapped: MappedPath } | { ok: false; failure: DLFileFailure };

/**
 * The host's answers to the device's DeviceLink requests during a restore (protocol.md §4.3), served
 * from the backup folder. The device is untrusted: every path it names goes through the path
 * mapper (`<UDID>/…` only, no "..", not absolute, no symlink out of the folder, no symlink at the
 * file itself), and a refused path is answered with an error for that path alone, so nothing outside
 * the folder is ever read or written. File content is streamed in 32 KiB blocks, never held whole.
 */
export class RestoreRequestHandlers {
  /** How the loop ended, once it has. */
  loopEnd: RestoreLoopEnd | undefined;
  /** Device paths that were refused because they lead outside the backup folder. */
  readonly refusedPaths: string[] = [];
  /** Requested files that could not be served (missing, unreadable), with the reason. */
  readonly unavailableFiles: string[] = [];

  private readonly logger: Logger;

  constructor(
    private readonly paths: DevicePathMapper,
    private readonly progress: RestoreProgressTracker,
    logger: Logger = silentLogger,
  ) {
    this.logger = logger.child('restore-requests');
  }

  /** The dispatch table for DeviceLink.runRequestLoop. */
  table(): DLRequestHandlers {
    return {
      DLMessageDownloadFiles: (m, link) => this.downloadFiles(m, link),
      DLMessageUploadFiles: (_m, link) => this.uploadFiles(link),
      DLMessageGetFreeDiskSpace: (_m, link) => this.getFreeDiskSpace(link),
      DLMessagePurgeDiskSpace: async (m, link) => {
        this.logger.info('the device asked to free disk space on this computer', { bytes: m.bytes });
        link.sendStatusResponse(DL_DEVICE_ERROR.Generic, 'DLPurgeDiskSpace failed to purge', 0);
      },
      DLContentsOfDirectory: (m, link) => this.contentsOfDirectory(m, link),
      DLMessageCreateDirectory: (m, link) => this.createDirectory(m, link),
      DLMessageMoveFiles: (m, link) => this.moveItems(m, link),
      DLMessageMoveItems: (m, link) => this.moveItems(m, link),
      DLMessageRemoveFiles: (m, link) => this.removeItems(m, link),
      DLMessageRemoveItems: (m, link) => this.removeItems(m, link),
      DLMessageCopyItem: (m, link) => this.copyItem(m, link),
      DLMessageProcessMessage: async (m) => {
        this.loopEnd = { kind: 'result', result: parseFinalResult(m.content) };
        return DL_LOOP_END;
      },
      DLMessageDisconnect: async (m) => {
        this.loopEnd = { kind: 'disconnect', reason: m.reason };
        return DL_LOOP_END;
      },
    };
  }

  /** Streams each requested file from the backup folder; a path that cannot be served gets its own error. */
  private async downloadFiles(message: DLMessageOf<'DLMessageDownloadFiles'>, link: DeviceLink): Promise<void> {
    const failures = new Map<string, DLFileFailure>();
    const fail = async (devicePath: string, failure: DLFileFailure): Promise<void> => {
      failures.set(devicePath, failure);
      this.unavailableFiles.push(`${devicePath}: ${failure.text}`);
      await link.sendRaw(encodeUnavailableFile(devicePath, failure.text));
    };
    for (const devicePath of message.paths) {
      const outcome = await this.map(devicePath);
      if (!outcome.ok) {
        await fail(devicePath, outcome.failure);
        continue;
      }
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(outcome.mapped.absolute, OPEN_READ_NO_FOLLOW);
        const stats = await handle.stat();
        if (stats.isDirectory()) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
        if (!stats.isFile()) throw Object.assign(new Error('Not a regular file'), { code: 'EINVAL' });
      } catch (err) {
        await handle?.close();
        this.logger.debug('download unavailable', { path: devicePath, reason: posixErrorText(err) });
        await fail(devicePath, { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) });
        continue;
      }
      try {
        let readFailed = false;
        const onReadError = (err: unknown): string => {
          readFailed = true;
          const failure = { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
          failures.set(devicePath, failure);
          this.unavailableFiles.push(`${devicePath}: ${failure.text}`);
          return failure.text;
        };
        const content = this.counted(handle.createReadStream({ highWaterMark: DL_SEND_CHUNK_BYTES, autoClose: false }));
        for await (const bytes of encodeDownloadedFile(devicePath, content, onReadError)) await link.sendRaw(bytes);
        if (!readFailed) this.progress.addFile();
      } finally {
        await handle.close();
      }
    }
    await link.sendRaw(encodeTransferEnd());
    if (failures.size > 0) link.send(buildMultiStatusResponse(failures));
    else link.sendStatusResponse(0, undefined, {});
  }

  /**
   * Receives an upload (devices rarely send one during a restore) into the backup folder as fresh
   * files. The whole stream is always read to stay in step; a refused or unwritable target is
   * answered with its error code after the stream ends.
   */
  private async uploadFiles(link: DeviceLink): Promise<void> {
    const decoder = link.transferDecoder('upload', { timeoutMs: UPLOAD_READ_TIMEOUT_MS });
    let failure: DLFileFailure | undefined;
    let current: { target: string; handle: fs.FileHandle | undefined } | undefined;
    const dropCurrent = async (): Promise<void> => {
      if (!current) return;
      const { handle, target } = current;
      current = undefined;
      if (!handle) return;
      await handle.close().catch(() => undefined);
      await fs.rm(target, { force: true }).catch(() => undefined);
    };
    try {
      for (;;) {
        const event = await decoder.next();
        if (event.kind === 'end') break;
        if (event.kind === 'file') {
          const outcome = await this.map(event.path);
          if (!outcome.ok || outcome.mapped.isBackupFolder) {
            failure ??= outcome.ok ? { code: DL_DEVICE_ERROR.IsADirectory, text: 'Is a directory' } : outcome.failure;
            current = { target: '', handle: undefined };
            continue;
          }
          current = { target: outcome.mapped.absolute, handle: undefined };
          try {
            await fs.mkdir(path.dirname(current.target), { recursive: true });
            current.handle = await createFreshFile(current.target);
          } catch (err) {
            failure ??= { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
          }
        } else if (event.kind === 'data') {
          if (!current?.handle) continue;
          try {
            await current.handle.write(event.bytes);
          } catch (err) {
            failure ??= { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
            await dropCurrent();
          }
        } else if (current) {
          const ended = event.outcome.status === 'success' || (event.outcome.status === 'remote-error' && event.outcome.afterData);
          if (ended && current.handle) {
            await current.handle.close();
            current = undefined;
          } else {
            await dropCurrent();
          }
        }
      }
    } catch (err) {
      await dropCurrent();
      throw err;
    }
    this.answer(link, failure);
  }

  /** Reports the free bytes of the volume holding the backup. */
  private async getFreeDiskSpace(link: DeviceLink): Promise<void> {
    try {
      const stats = await fs.statfs(this.paths.stagingDir);
      link.sendStatusResponse(0, undefined, stats.bavail * stats.bsize);
    } catch (err) {
      link.sendStatusResponse(DL_DEVICE_ERROR.Generic, posixErrorText(err), 0);
    }
  }

  /** Lists a directory of the backup with type, size and modification date of each entry. */
  private async contentsOfDirectory(message: DLMessageOf<'DLContentsOfDirectory'>, link: DeviceLink): Promise<void> {
    const outcome = await this.map(message.path);
    if (!outcome.ok) {
      link.sendStatusResponse(outcome.failure.code, outcome.failure.text, {});
      return;
    }
    const entries = new Map<string, DLDirectoryEntry>();
    try {
      for await (const entry of await fs.opendir(outcome.mapped.absolute)) {
        // Our own marker is bookkeeping, not part of the backup the device sees.
        if (outcome.mapped.isBackupFolder && entry.name === IN_PROGRESS_MARKER) continue;
        const stats = await fs.lstat(path.join(outcome.mapped.absolute, entry.name));
        const type = stats.isDirectory() ? DL_FILE_TYPE.Directory : stats.isFile() ? DL_FILE_TYPE.Regular : DL_FILE_TYPE.Unknown;
        entries.set(entry.name, { type, size: stats.size, modified: stats.mtime });
      }
    } catch (err) {
      link.sendStatusResponse(deviceErrorFromErrno(posixErrorCode(err)), posixErrorText(err), {});
      return;
    }
    link.sendStatusResponse(0, undefined, buildDirectoryContents(entries));
  }

  /** mkdir -p inside the backup folder; an existing directory is success. */
  private async createDirectory(message: DLMessageOf<'DLMessageCreateDirectory'>, link: DeviceLink): Promise<void> {
    const outcome = await this.map(message.path);
    if (!outcome.ok) {
      this.answer(link, outcome.failure);
      return;
    }
    try {
      await fs.mkdir(outcome.mapped.absolute, { recursive: true });
    } catch (err) {
      this.answer(link, { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) });
      return;
    }
    this.answer(link, undefined);
  }

  /** Renames each pair inside the backup folder, replacing an existing destination; the folder itself never moves. */
  private async moveItems(message: DLMessageOf<'DLMessageMoveItems' | 'DLMessageMoveFiles'>, link: DeviceLink): Promise<void> {
    let failure: DLFileFailure | undefined;
    for (const move of message.moves) {
      const from = await this.map(move.from);
      const to = await this.map(move.to);
      if (!from.ok || !to.ok) {
        failure ??= !from.ok ? from.failure : (to as { ok: false; failure: DLFileFailure }).failure;
        continue;
      }
      if (from.mapped.isBackupFolder || to.mapped.isBackupFolder) {
        failure ??= { code: DL_DEVICE_ERROR.Generic, text: REFUSED_PATH_TEXT };
        continue;
      }
      try {
        // Checked before the destination is removed: a move of a missing item must not delete anything.
        await fs.lstat(from.mapped.absolute);
        await fs.rm(to.mapped.absolute, { recursive: true, force: true });
        await fs.mkdir(path.dirname(to.mapped.absolute), { recursive: true });
        await fs.rename(from.mapped.absolute, to.mapped.absolute);
      } catch (err) {
        failure ??= { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
      }
    }
    this.answer(link, failure);
  }

  /** Deletes each path inside the backup folder (recursively); a missing path is fine, the folder itself is kept. */
  private async removeItems(message: DLMessageOf<'DLMessageRemoveItems' | 'DLMessageRemoveFiles'>, link: DeviceLink): Promise<void> {
    let failure: DLFileFailure | undefined;
    for (const devicePath of message.paths) {
      const outcome = await this.map(devicePath);
      if (!outcome.ok) {
        failure ??= outcome.failure;
        continue;
      }
      if (outcome.mapped.isBackupFolder) {
        // Deleting the backup being restored from is never what the person wants.
        failure ??= { code: DL_DEVICE_ERROR.Generic, text: REFUSED_PATH_TEXT };
        continue;
      }
      try {
        await fs.rm(outcome.mapped.absolute, { recursive: true, force: true });
      } catch (err) {
        failure ??= { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
      }
    }
    this.answer(link, failure);
  }

  /** Copies a file, or a folder of regular files, inside the backup folder. */
  private async copyItem(message: DLMessageOf<'DLMessageCopyItem'>, link: DeviceLink): Promise<void> {
    const from = await this.map(message.from);
    const to = await this.map(message.to);
    if (!from.ok || !to.ok) {
      this.answer(link, !from.ok ? from.failure : (to as { ok: false; failure: DLFileFailure }).failure);
      return;
    }
    if (to.mapped.isBackupFolder || isInsideFolder(from.mapped.absolute, to.mapped.absolute)) {
      // Overwriting the backup, or copying a folder into itself, would never end well.
      this.answer(link, { code: DL_DEVICE_ERROR.Generic, text: 'Invalid argument' });
      return;
    }
    try {
      await fs.lstat(from.mapped.absolute);
      await fs.rm(to.mapped.absolute, { recursive: true, force: true });
      await copyRegularTree(from.mapped.absolute, to.mapped.absolute);
    } catch (err) {
      this.answer(link, { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) });
      return;
    }
    this.answer(link, undefined);
  }

  /** Checks a device path; a refused one is remembered, logged and turned into the failure to answer. */
  private async map(devicePath: string): Promise<MapOutcome> {
    try {
      return { ok: true, mapped: await this.paths.map(devicePath) };
    } catch (err) {
      if (isUnsafePathError(err)) {
        this.refusedPaths.push(devicePath);
        this.logger.warn('refused a device path outside the backup folder', { path: devicePath.slice(0, 256) });
        return { ok: false, failure: { code: DL_DEVICE_ERROR.Generic, text: REFUSED_PATH_TEXT } };
      }
      const cause = (err as { cause?: unknown }).cause ?? err;
      return { ok: false, failure: { code: deviceErrorFromErrno(posixErrorCode(cause)), text: posixErrorText(cause) } };
    }
  }

  /** Passes file content through, counting the bytes as they go out. */
  private async *counted(content: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of content) {
      this.progress.addBytes(chunk.length);
      yield chunk;
    }
  }

  private answer(link: DeviceLink, failure: DLFileFailure | undefined): void {
    if (failure) link.sendStatusResponse(failure.code, failure.text, {});
    else link.sendStatusResponse(0, undefined, {});
  }
}

/**
 * Copies regular files and folders from `source` to `destination` as new files; symlinks and
 * special files are skipped, so a copy cannot create a way out of the folder.
 */
async function copyRegularTree(source: string, destination: string): Promise<void> {
  const stats = await fs.lstat(source);
  if (stats.isFile()) {
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await fs.copyFile(source, destination, fsConstants.COPYFILE_EXCL);
    return;
  }
  if (!stats.isDirectory()) return;
  await fs.mkdir(destination, { recursive: true });
  for await (const entry of await fs.opendir(source)) {
    await copyRegularTree(path.join(source, entry.name), path.join(destination, entry.name));
  }
}
