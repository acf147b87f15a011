import { promises as fs, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { BackupError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import type { DeviceLink } from '../../services/deviceLink';
import { deviceLinkFailure, DL_DEVICE_ERROR, posixErrorText, type DLFileFailure, type DLMessageOf } from '../../services/deviceLinkCodec';
import { IN_PROGRESS_MARKER } from '../format/backupFolder';
import { isUnsafePathError } from '../format/formatErrors';
import type { BackupProgressTracker } from './backupProgress';
import { DeviceLinkRequestHandlers } from '../transfer/deviceLinkRequestHandlers';
import type { DevicePathMapper } from '../transfer/devicePathMapper';
import { createFreshFile, writeSmallFreshFile } from './freshFile';
import { PendingWrites } from './pendingWrites';
import { isSameOrInsideFolded } from '../transfer/foldedPath';
import { forEachConcurrently, mapConcurrently } from '../../common/concurrently';
import { pathsAreIndependent } from './pathsAreIndependent';
import { copyReplacing, moveReplacing } from './replacingItemChanges';
import { sendRequestedFiles } from '../transfer/sendRequestedFiles';
import { quickFileCalls } from '../transfer/quickFileCalls';
import { StreamedFileWriter } from './streamedFileWriter';

/** File-system calls of one request kept in flight at once (libuv's pool has 4 threads by default). */
const FILE_OPERATIONS_IN_FLIGHT = 8;

/** Files up to this size are collected in memory and written in one go (most files of a backup are small). */
const SMALL_FILE_BYTES = 256 * 1024;

/** Upload read timeout per piece: data keeps flowing during an upload, a long stall means a dead link. */
const UPLOAD_READ_TIMEOUT_MS = 120_000;

/**
 * The host's answers to every device request of a backup (docs/protocol/mobilebackup2.md#device-requests), writing into the
 * staging folder through the path mapper. Every device-named path is checked before use; a refused
 * path throws (failing the backup) rather than being answered, so nothing lands outside the folder.
 * Files from the device are always written to fresh inodes, so staged hard links to the previous
 * backup are never modified.
 */
export class BackupRequestHandlers extends DeviceLinkRequestHandlers {
  /** Files the device sent whose transfer ended with an error block. */
  readonly uploadWarnings: string[] = [];
  /** True once the device asked for any change in the folder (a refused backup leaves it false). */
  deviceWrote = false;

  constructor(
    private readonly paths: DevicePathMapper,
    private readonly progress: BackupProgressTracker,
    logger: Logger = silentLogger,
  ) {
    super(logger.child('backup-requests'), paths.root);
  }

  /** Streams each requested file (or a LocalError block for one that cannot be read), then the status. */
  protected override async downloadFiles(message: DLMessageOf<'DLMessageDownloadFiles'>, link: DeviceLink): Promise<void> {
    // All paths are checked first: one unsafe path fails the backup before any byte is sent.
    const files = [];
    for (const devicePath of message.paths) files.push({ devicePath, absolute: (await this.paths.map(devicePath)).absolute });
    await sendRequestedFiles(link, files, {}, this.logger);
  }

  /**
   * Receives an upload stream and writes each file to a fresh file in the staging folder. Local write
   * failures are answered with the device error code after the stream has been read to its end (the
   * stream must be consumed to stay in step); an unsafe target path fails the backup at once.
   */
  protected override async uploadFiles(_message: DLMessageOf<'DLMessageUploadFiles'>, link: DeviceLink): Promise<void> {
    const decoder = link.transferDecoder('upload', { timeoutMs: UPLOAD_READ_TIMEOUT_MS });
    const writes = new PendingWrites();
    let failure: DLFileFailure | undefined;
    const fail = (devicePath: string, err: unknown, what: string): void => {
      // The first failure is shown; on a full disk every later file of the batch fails the same way.
      const first = failure === undefined;
      failure ??= deviceLinkFailure(err);
      const fields = { step: what, path: devicePath, reason: posixErrorText(err) };
      if (first) this.logger.warn('cannot save a file the device sent', fields);
      else this.logger.debug('cannot save a file the device sent', fields);
    };
    // A file is kept in memory until it outgrows SMALL_FILE_BYTES; then it is streamed to disk.
    let current: { path: string; target: string; chunks: Buffer[]; size: number; writer: StreamedFileWriter | undefined; failed: boolean } | undefined;
    const abandonCurrent = async (): Promise<void> => {
      if (!current) return;
      await current.writer?.abandon();
      if (current.writer) await fs.rm(current.target, { force: true }).catch(() => undefined);
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
          current = { path: event.path, target: mapped?.absolute ?? '', chunks: [], size: 0, writer: undefined, failed: mapped === undefined };
        } else if (event.kind === 'data') {
          if (!current) throw new BackupError('The device sent file data outside a file.', 'backup.bad-device-request');
          this.progress.addBytes(event.bytes.length);
          if (current.failed) continue;
          try {
            if (current.writer) {
              await current.writer.add(event.bytes);
            } else {
              current.chunks.push(event.bytes);
              current.size += event.bytes.length;
              if (current.size > SMALL_FILE_BYTES) {
                current.writer = new StreamedFileWriter(await createFreshFile(current.target), 0);
                for (const chunk of current.chunks) await current.writer.add(chunk);
                current.chunks = [];
              }
            }
          } catch (err) {
            fail(current.path, err, 'write');
            current.failed = true;
            await current.writer?.abandon();
            current.writer = undefined;
            await fs.rm(current.target, { force: true }).catch(() => undefined);
          }
        } else if (current) {
          const outcome = event.outcome;
          const file = current;
          current = undefined;
          if (outcome.status === 'success' || (outcome.status === 'remote-error' && outcome.afterData)) {
            // An error block right after data blocks ends the file with a message attached (lid's reading).
            if (file.failed) continue;
            if (file.writer) {
              try {
                await file.writer.finish();
                this.progress.addFile();
              } catch (err) {
                fail(file.path, err, 'write');
                await fs.rm(file.target, { force: true }).catch(() => undefined);
              }
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
    this.answer(link, failure);
  }

  /** Lists a directory's entries with type, size and modification date. */
  protected override async contentsOfDirectory(message: DLMessageOf<'DLContentsOfDirectory'>, link: DeviceLink): Promise<void> {
    await this.answerDirectoryContents(await this.paths.map(message.path), link);
  }

  /** mkdir -p; an existing directory is success. */
  protected override async createDirectory(message: DLMessageOf<'DLMessageCreateDirectory'>, link: DeviceLink): Promise<void> {
    const mapped = await this.paths.map(message.path);
    this.deviceWrote = true;
    try {
      await quickFileCalls.run(
        () => mkdirSync(mapped.absolute, { recursive: true }),
        () => fs.mkdir(mapped.absolute, { recursive: true }),
      );
    } catch (err) {
      const failure = deviceLinkFailure(err);
      link.sendStatusResponse(failure.code, failure.text);
      return;
    }
    link.sendStatusResponse(0);
  }

  /** Renames each pair, replacing an existing destination (recursively for folders). */
  protected override async moveItems(message: DLMessageOf<'DLMessageMoveItems' | 'DLMessageMoveFiles'>, link: DeviceLink): Promise<void> {
    // Every path is checked before anything moves; an unsafe one refuses the whole message.
    const pairs = await mapConcurrently(message.moves, FILE_OPERATIONS_IN_FLIGHT, async (move) => ({ from: await this.paths.map(move.from), to: await this.paths.map(move.to), move }));
    for (const { from, to, move } of pairs) {
      if (from.isBackupFolder || to.isBackupFolder) throw new BackupError(`The device tried to move the backup folder itself (${move.from} → ${move.to}).`, 'backup.bad-device-request');
    }
    this.deviceWrote = true;
    let failure: DLFileFailure | undefined;
    const moveOne = async ({ from, to, move }: (typeof pairs)[number]): Promise<void> => {
      try {
        await moveReplacing(from.absolute, to.absolute, { fromExists: from.exists, toExists: to.exists });
      } catch (err) {
        failure ??= deviceLinkFailure(err);
        this.logger.warn('cannot move an item', { from: move.from, to: move.to, reason: posixErrorText(err) });
      }
    };
    // Moves that touch distinct paths cannot depend on each other's order (a device moves each finished file
    // to its name this way, thousands per backup), so several run at once; any overlap keeps the given order.
    try {
      if (pathsAreIndependent(pairs.flatMap((p) => [p.from.absolute, p.to.absolute]))) await forEachConcurrently(pairs, FILE_OPERATIONS_IN_FLIGHT, moveOne);
      else for (const pair of pairs) await moveOne(pair);
    } finally {
      // The paths checked so far describe the tree before the moves.
      this.paths.forgetVerifiedFolders();
    }
    this.answer(link, failure);
  }

  /** Deletes each path recursively; a missing path is not an error. */
  protected override async removeItems(message: DLMessageOf<'DLMessageRemoveItems' | 'DLMessageRemoveFiles'>, link: DeviceLink): Promise<void> {
    const mapped = [];
    for (const devicePath of message.paths) mapped.push({ devicePath, target: await this.paths.map(devicePath) });
    this.deviceWrote = true;
    let failure: DLFileFailure | undefined;
    for (const { devicePath, target } of mapped) {
      try {
        if (target.isBackupFolder) await this.emptyBackupFolder(target.absolute);
        else await fs.rm(target.absolute, { recursive: true, force: true });
      } catch (err) {
        failure ??= deviceLinkFailure(err);
        this.logger.warn('cannot remove an item', { path: devicePath, reason: posixErrorText(err) });
      }
    }
    this.paths.forgetVerifiedFolders();
    this.answer(link, failure);
  }

  /** Copies a file, or a folder tree of regular files, into fresh files at the destination. */
  protected override async copyItem(message: DLMessageOf<'DLMessageCopyItem'>, link: DeviceLink): Promise<void> {
    const from = await this.paths.map(message.from);
    const to = await this.paths.map(message.to);
    if (to.isBackupFolder) throw new BackupError(`The device tried to copy over the backup folder itself (${message.to}).`, 'backup.bad-device-request');
    this.deviceWrote = true;
    // Copying a folder into itself would never end, and onto itself would delete it first; on macOS and
    // Windows "A" and "a" are the same folder, so the paths are compared folded.
    if (isSameOrInsideFolded(from.absolute, to.absolute)) {
      this.answer(link, { code: DL_DEVICE_ERROR.Generic, text: 'Invalid argument' });
      return;
    }
    try {
      await copyReplacing(from.absolute, to.absolute);
    } catch (err) {
      this.answer(link, deviceLinkFailure(err));
      return;
    } finally {
      this.paths.forgetVerifiedFolders();
    }
    this.answer(link, undefined);
  }

  /** Removing `<UDID>` itself clears the backup's contents but keeps the staging folder and its marker. */
  private async emptyBackupFolder(folder: string): Promise<void> {
    for (const name of await fs.readdir(folder)) {
      if (name !== IN_PROGRESS_MARKER) await fs.rm(path.join(folder, name), { recursive: true, force: true });
    }
  }
}
