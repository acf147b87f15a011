import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackupError } from '../../errors';
import type { Logger } from '../../logger';
import { silentLogger } from '../../logger';
import { DL_LOOP_END, type DeviceLink, type DLRequestHandlers } from '../../services/deviceLink';
import {
  buildDirectoryContents,
  buildMultiStatusResponse,
  deviceErrorFromErrno,
  DL_DEVICE_ERROR,
  DL_FILE_TYPE,
  encodeDownloadedFile,
  encodeTransferEnd,
  encodeUnavailableFile,
  type DLDirectoryEntry,
  type DLFileFailure,
  type DLMessageOf,
} from '../../services/deviceLinkCodec';
import { parseFinalResult, type Mobilebackup2Result } from '../../services/mobilebackup2';
import { IN_PROGRESS_MARKER } from '../format/backupFolder';
import { isInsideFolder } from '../format/safePath';
import type { BackupProgressTracker } from './backupProgress';
import type { DevicePathMapper } from './devicePathMapper';
import { createFreshFile, writeSmallFreshFile } from './freshFile';
import { PendingWrites } from './pendingWrites';
import { isUnsafePathError } from '../format/formatErrors';
import { posixErrorCode, posixErrorText } from './posixErrorText';

/** How the request loop ended. */
export type BackupLoopEnd =
  | { kind: 'result'; result: Mobilebackup2Result }
  | { kind: 'disconnect'; reason: string | undefined };

/** The first failure of a batch request, answered to the device as code + text. */
interface BatchFailure {
  code: number;
  text: string;
}

/** Files up to this size are collected in memory and written in one go (most files of a backup are small). */
const SMALL_FILE_BYTES = 256 * 1024;

/** Upload read timeout per piece: data keeps flowing during an upload, a long stall means a dead link. */
const UPLOAD_READ_TIMEOUT_MS = 120_000;

/**
 * The host's answers to every device request of a backup (protocol.md §4.3), writing into the
 * staging folder through the path mapper. Every device-named path is checked before use; a refused
 * path throws (failing the backup) rather than being answered, so nothing lands outside the folder.
 * Files from the device are always written to fresh inodes, so staged hard links to the previous
 * backup are never modified.
 */
export class BackupRequestHandlers {
  /** How the loop ended, once it has. */
  loopEnd: BackupLoopEnd | undefined;
  /** Files the device sent whose transfer ended with an error block. */
  readonly uploadWarnings: string[] = [];
  /** True once the device asked for any change in the folder (a refused backup leaves it false). */
  deviceWrote = false;

  private readonly logger: Logger;

  constructor(
    private readonly paths: DevicePathMapper,
    private readonly progress: BackupProgressTracker,
    logger: Logger = silentLogger,
  ) {
    this.logger = logger.child('backup-requests');
  }

  /** The dispatch table for DeviceLink.runRequestLoop. */
  table(): DLRequestHandlers {
    return {
      DLMessageDownloadFiles: (m, link) => this.downloadFiles(m, link),
      DLMessageUploadFiles: (m, link) => this.uploadFiles(m, link),
      DLMessageGetFreeDiskSpace: (_m, link) => this.getFreeDiskSpace(link),
      DLMessagePurgeDiskSpace: (m, link) => this.purgeDiskSpace(m, link),
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

  /** Streams each requested file (or a LocalError block for one that cannot be read), then the status. */
  private async downloadFiles(message: DLMessageOf<'DLMessageDownloadFiles'>, link: DeviceLink): Promise<void> {
    // All paths are checked first: one unsafe path fails the backup before any byte is sent.
    const targets = [];
    for (const devicePath of message.paths) targets.push({ devicePath, mapped: await this.paths.map(devicePath) });
    const failures = new Map<string, DLFileFailure>();
    for (const { devicePath, mapped } of targets) {
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(mapped.absolute, 'r');
        if (!(await handle.stat()).isFile()) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
      } catch (err) {
        await handle?.close();
        const failure = { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
        failures.set(devicePath, failure);
        this.logger.debug('download unavailable', { path: devicePath, reason: failure.text });
        await link.sendRaw(encodeUnavailableFile(devicePath, failure.text));
        continue;
      }
      try {
        const content = handle.createReadStream({ highWaterMark: 32 * 1024, autoClose: false });
        const onReadError = (err: unknown): string => {
          const failure = { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
          failures.set(devicePath, failure);
          return failure.text;
        };
        for await (const bytes of encodeDownloadedFile(devicePath, content, onReadError)) await link.sendRaw(bytes);
      } finally {
        await handle.close();
      }
    }
    await link.sendRaw(encodeTransferEnd());
    if (failures.size > 0) link.send(buildMultiStatusResponse(failures));
    else link.sendStatusResponse(0, undefined, {});
  }

  /**
   * Receives an upload stream and writes each file to a fresh file in the staging folder. Local write
   * failures are answered with the device error code after the stream has been read to its end (the
   * stream must be consumed to stay in step); an unsafe target path fails the backup at once.
   */
  private async uploadFiles(_message: DLMessageOf<'DLMessageUploadFiles'>, link: DeviceLink): Promise<void> {
    const decoder = link.transferDecoder('upload', { timeoutMs: UPLOAD_READ_TIMEOUT_MS });
    const writes = new PendingWrites();
    let failure: BatchFailure | undefined;
    const fail = (devicePath: string, err: unknown, what: string): void => {
      failure ??= { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
      this.logger.warn(`cannot ${what} a file the device sent`, { path: devicePath, reason: posixErrorText(err) });
    };
    // A file is kept in memory until it outgrows SMALL_FILE_BYTES; then it is streamed to disk.
    let current: { path: string; target: string; chunks: Buffer[]; size: number; handle: fs.FileHandle | undefined; failed: boolean } | undefined;
    const abandonCurrent = async (): Promise<void> => {
      if (!current) return;
      await current.handle?.close().catch(() => undefined);
      if (current.handle) await fs.rm(current.target, { force: true }).catch(() => undefined);
      current = undefined;
    };
    try {
      for (;;) {
        const event = await decoder.next();
        if (event.kind === 'end') break;
        if (event.kind === 'file') {
          const mapped = await this.paths.mapNewFile(event.path).catch(async (err) => {
            if (isUnsafePathError(err)) throw err;
            fail(event.path, err, 'create');
            return undefined;
          });
          this.deviceWrote = true;
          if (mapped?.isBackupFolder) throw new BackupError(`The device tried to write a file over the backup folder itself (${event.path}).`, 'backup.bad-device-request');
          current = { path: event.path, target: mapped?.absolute ?? '', chunks: [], size: 0, handle: undefined, failed: mapped === undefined };
        } else if (event.kind === 'data') {
          if (!current) throw new BackupError('The device sent file data outside a file.', 'backup.bad-device-request');
          this.progress.addBytes(event.bytes.length);
          if (current.failed) continue;
          try {
            if (current.handle) {
              await current.handle.write(event.bytes);
            } else {
              current.chunks.push(event.bytes);
              current.size += event.bytes.length;
              if (current.size > SMALL_FILE_BYTES) {
                current.handle = await createFreshFile(current.target);
                await current.handle.writev(current.chunks);
                current.chunks = [];
              }
            }
          } catch (err) {
            fail(current.path, err, 'write');
            current.failed = true;
            await current.handle?.close().catch(() => undefined);
            current.handle = undefined;
            await fs.rm(current.target, { force: true }).catch(() => undefined);
          }
        } else if (current) {
          const outcome = event.outcome;
          const file = current;
          current = undefined;
          if (outcome.status === 'success' || (outcome.status === 'remote-error' && outcome.afterData)) {
            // An error block right after data blocks ends the file with a message attached (lid's reading).
            if (file.failed) continue;
            if (file.handle) {
              await file.handle.close();
              this.progress.addFile();
            } else {
              const bytes = file.chunks.length === 1 ? file.chunks[0] : Buffer.concat(file.chunks, file.size);
              await writes.add(file.size, () =>
                writeSmallFreshFile(file.target, bytes).then(
                  () => this.progress.addFile(),
                  (err) => fail(file.path, err, 'write'),
                ),
              );
            }
          } else {
            this.uploadWarnings.push(`${file.path}: ${outcome.message}`);
            this.logger.warn('the device could not send a file', { path: file.path, reason: outcome.message });
            current = file;
            await abandonCurrent();
          }
        }
      }
    } catch (err) {
      await abandonCurrent();
      await writes.settle();
      throw err;
    }
    // The device may move these files next, so every write is on disk before the answer.
    await writes.settle();
    if (failure) link.sendStatusResponse(failure.code, failure.text, {});
    else link.sendStatusResponse(0, undefined, {});
  }

  /** Reports the free bytes of the volume holding the backup. */
  private async getFreeDiskSpace(link: DeviceLink): Promise<void> {
    try {
      const stats = await fs.statfs(this.paths.root);
      link.sendStatusResponse(0, undefined, stats.bavail * stats.bsize);
    } catch (err) {
      link.sendStatusResponse(DL_DEVICE_ERROR.Generic, posixErrorText(err), 0);
    }
  }

  /** This host cannot free space on demand; it says so and the device decides (Apple's own host answer). */
  private async purgeDiskSpace(message: DLMessageOf<'DLMessagePurgeDiskSpace'>, link: DeviceLink): Promise<void> {
    this.logger.info('the device asked to free disk space on this computer', { bytes: message.bytes });
    link.sendStatusResponse(DL_DEVICE_ERROR.Generic, 'DLPurgeDiskSpace failed to purge', 0);
  }

  /** Lists a directory's entries with type, size and modification date. */
  private async contentsOfDirectory(message: DLMessageOf<'DLContentsOfDirectory'>, link: DeviceLink): Promise<void> {
    const mapped = await this.paths.map(message.path);
    const entries = new Map<string, DLDirectoryEntry>();
    try {
      for await (const entry of await fs.opendir(mapped.absolute)) {
        // Our own marker is bookkeeping, not part of the backup the device sees.
        if (mapped.isBackupFolder && entry.name === IN_PROGRESS_MARKER) continue;
        const stats = await fs.lstat(path.join(mapped.absolute, entry.name));
        const type = stats.isDirectory() ? DL_FILE_TYPE.Directory : stats.isFile() ? DL_FILE_TYPE.Regular : DL_FILE_TYPE.Unknown;
        entries.set(entry.name, { type, size: stats.size, modified: stats.mtime });
      }
    } catch (err) {
      link.sendStatusResponse(deviceErrorFromErrno(posixErrorCode(err)), posixErrorText(err), {});
      return;
    }
    link.sendStatusResponse(0, undefined, buildDirectoryContents(entries));
  }

  /** mkdir -p; an existing directory is success. */
  private async createDirectory(message: DLMessageOf<'DLMessageCreateDirectory'>, link: DeviceLink): Promise<void> {
    const mapped = await this.paths.map(message.path);
    this.deviceWrote = true;
    try {
      await fs.mkdir(mapped.absolute, { recursive: true });
    } catch (err) {
      link.sendStatusResponse(deviceErrorFromErrno(posixErrorCode(err)), posixErrorText(err));
      return;
    }
    link.sendStatusResponse(0);
  }

  /** Renames each pair, replacing an existing destination (recursively for folders). */
  private async moveItems(message: DLMessageOf<'DLMessageMoveItems' | 'DLMessageMoveFiles'>, link: DeviceLink): Promise<void> {
    this.paths.forgetVerifiedFolders();
    const pairs = [];
    for (const move of message.moves) pairs.push({ from: await this.paths.map(move.from), to: await this.paths.map(move.to), move });
    this.deviceWrote = true;
    let failure: BatchFailure | undefined;
    for (const { from, to, move } of pairs) {
      if (from.isBackupFolder || to.isBackupFolder) throw new BackupError(`The device tried to move the backup folder itself (${move.from} → ${move.to}).`, 'backup.bad-device-request');
      try {
        // Checked before the destination is removed: a move of a missing item must not delete anything.
        await fs.lstat(from.absolute);
        await fs.rm(to.absolute, { recursive: true, force: true });
        await fs.mkdir(path.dirname(to.absolute), { recursive: true });
        await fs.rename(from.absolute, to.absolute);
      } catch (err) {
        failure ??= { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
        this.logger.warn('cannot move an item', { from: move.from, to: move.to, reason: posixErrorText(err) });
      }
    }
    this.answerBatch(link, failure);
  }

  /** Deletes each path recursively; a missing path is not an error. */
  private async removeItems(message: DLMessageOf<'DLMessageRemoveItems' | 'DLMessageRemoveFiles'>, link: DeviceLink): Promise<void> {
    this.paths.forgetVerifiedFolders();
    const mapped = [];
    for (const devicePath of message.paths) mapped.push({ devicePath, target: await this.paths.map(devicePath) });
    this.deviceWrote = true;
    let failure: BatchFailure | undefined;
    for (const { devicePath, target } of mapped) {
      try {
        if (target.isBackupFolder) await this.emptyBackupFolder(target.absolute);
        else await fs.rm(target.absolute, { recursive: true, force: true });
      } catch (err) {
        failure ??= { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) };
        this.logger.warn('cannot remove an item', { path: devicePath, reason: posixErrorText(err) });
      }
    }
    this.answerBatch(link, failure);
  }

  /** Copies a file, or a folder tree of regular files, into fresh files at the destination. */
  private async copyItem(message: DLMessageOf<'DLMessageCopyItem'>, link: DeviceLink): Promise<void> {
    this.paths.forgetVerifiedFolders();
    const from = await this.paths.map(message.from);
    const to = await this.paths.map(message.to);
    if (to.isBackupFolder) throw new BackupError(`The device tried to copy over the backup folder itself (${message.to}).`, 'backup.bad-device-request');
    this.deviceWrote = true;
    if (isInsideFolder(from.absolute, to.absolute)) {
      // Copying a folder into itself would never end.
      this.answerBatch(link, { code: DL_DEVICE_ERROR.Generic, text: 'Invalid argument' });
      return;
    }
    try {
      await fs.lstat(from.absolute);
      await fs.rm(to.absolute, { recursive: true, force: true });
      await copyTree(from.absolute, to.absolute);
    } catch (err) {
      this.answerBatch(link, { code: deviceErrorFromErrno(posixErrorCode(err)), text: posixErrorText(err) });
      return;
    }
    link.sendStatusResponse(0, undefined, {});
  }

  /** Removing `<UDID>` itself clears the backup's contents but keeps the staging folder and its marker. */
  private async emptyBackupFolder(folder: string): Promise<void> {
    for (const name of await fs.readdir(folder)) {
      if (name !== IN_PROGRESS_MARKER) await fs.rm(path.join(folder, name), { recursive: true, force: true });
    }
  }

  private answerBatch(link: DeviceLink, failure: BatchFailure | undefined): void {
    if (failure) link.sendStatusResponse(failure.code, failure.text, {});
    else link.sendStatusResponse(0, undefined, {});
  }
}

/**
 * Copies regular files and folders from `source` to `destination` as new files (never links, never
 * in-place overwrites); symlinks and special files are skipped, so a copy cannot create a way out.
 */
async function copyTree(source: string, destination: string): Promise<void> {
  const stats = await fs.lstat(source);
  if (stats.isFile()) {
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await fs.copyFile(source, destination, fs.constants.COPYFILE_EXCL);
    return;
  }
  if (!stats.isDirectory()) return;
  await fs.mkdir(destination, { recursive: true });
  for await (const entry of await fs.opendir(source)) {
    await copyTree(path.join(source, entry.name), path.join(destination, entry.name));
  }
}
