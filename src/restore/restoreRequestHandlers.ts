import { BackupError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { DeviceLink } from '../services/deviceLink';
import { deviceLinkFailure, DL_DEVICE_ERROR, type DLFileFailure, type DLMessageOf } from '../services/deviceLinkCodec';
import { DeviceLinkRequestHandlers } from '../backup/transfer/deviceLinkRequestHandlers';
import type { DevicePathMapper, MappedPath } from '../backup/transfer/devicePathMapper';
import { sendRequestedFiles, type RequestedFile } from '../backup/transfer/sendRequestedFiles';
import { isUnsafePathError } from '../backup/format/formatErrors';
import type { RestoreProgressTracker } from './restoreProgress';

/** The text sent with a refused path: the host will not serve anything outside the backup folder. */
export const REFUSED_PATH_TEXT = 'Operation not permitted';

/** The text sent when the device asks to change the backup folder, which a restore only reads. */
export const READ_ONLY_TEXT = 'Read-only file system';

/** Read timeout per piece of an upload: data keeps flowing, a long stall means a dead link. */
const UPLOAD_READ_TIMEOUT_MS = 120_000;

/**
 * Upload bytes read (and dropped) before the restore stops: a restoring device has nothing to upload, and
 * one that streams without end must not keep the restore busy forever.
 */
const MAX_DROPPED_UPLOAD_BYTES = 64 * 1024 * 1024;

/** Refused paths kept for the result; a device repeating itself must not grow the host's memory. */
const MAX_REFUSED_PATHS = 1000;

/** A mapped path, or the failure to answer for a path that is refused or cannot be checked. */
type MapOutcome = { ok: true; mapped: MappedPath } | { ok: false; failure: DLFileFailure };

/**
 * The host's answers to the device's DeviceLink requests during a restore (docs/protocol/mobilebackup2.md#device-requests), served
 * from the backup folder, which a restore only reads: the device downloads the backup's files and
 * may list folders and ask for free space; every request to change the folder (upload, create,
 * move, remove, copy) is refused with "Read-only file system". No device or host needs a change
 * there: a restoring device only downloads (libimobiledevice and pymobiledevice3 restores, and our
 * simulator, show nothing else), and a backup changed by the device it is restored to would no
 * longer be the backup the person chose. The device is untrusted: every path it names goes through
 * the path mapper (`<UDID>/…` only, no "..", not absolute, no symlink anywhere on the way), and a
 * refused path is answered with an error for that path alone, so nothing outside the folder is ever
 * read. File content is streamed in 32 KiB blocks, never held whole.
 */
export class RestoreRequestHandlers extends DeviceLinkRequestHandlers {
  /** Device paths that were refused: outside the backup folder, through a symlink, or a change to the folder. */
  readonly refusedPaths: string[] = [];
  /** Requested files that could not be served (missing, unreadable), with the reason. */
  readonly unavailableFiles: string[] = [];

  constructor(
    private readonly paths: DevicePathMapper,
    private readonly progress: RestoreProgressTracker,
    logger: Logger = silentLogger,
  ) {
    super(logger.child('restore-requests'), paths.stagingDir);
  }

  /** Streams each requested file from the backup folder; a path that cannot be served gets its own error. */
  protected override async downloadFiles(message: DLMessageOf<'DLMessageDownloadFiles'>, link: DeviceLink): Promise<void> {
    await sendRequestedFiles(
      link,
      this.requestedFiles(message.paths),
      {
        onUnavailable: (devicePath, failure) => this.unavailableFiles.push(`${devicePath}: ${failure.text}`),
        onBytes: (n) => this.progress.addBytes(n),
        onFileSent: () => this.progress.addFile(),
      },
      this.logger,
    );
  }

  /** Reads the whole upload stream to stay in step, writes nothing, and answers that the folder is read-only. */
  protected override async uploadFiles(_message: DLMessageOf<'DLMessageUploadFiles'>, link: DeviceLink): Promise<void> {
    const decoder = link.transferDecoder('upload', { timeoutMs: UPLOAD_READ_TIMEOUT_MS });
    const named: string[] = [];
    let dropped = 0;
    for (;;) {
      const event = await decoder.next();
      if (event.kind === 'end') break;
      if (event.kind === 'file' && named.length < MAX_REFUSED_PATHS) named.push(event.path);
      if (event.kind === 'data' && (dropped += event.bytes.length) > MAX_DROPPED_UPLOAD_BYTES) {
        throw new BackupError(
          `The device sent more than ${MAX_DROPPED_UPLOAD_BYTES / (1024 * 1024)} MiB of files during the restore, which only sends files to it, so the restore was stopped.`,
          'restore.bad-device-request',
        );
      }
    }
    this.refuseChange('UploadFiles', named, link);
  }

  /** Lists a directory of the backup with type, size and modification date of each entry. */
  protected override async contentsOfDirectory(message: DLMessageOf<'DLContentsOfDirectory'>, link: DeviceLink): Promise<void> {
    const outcome = await this.map(message.path);
    if (outcome.ok) await this.answerDirectoryContents(outcome.mapped, link);
    else this.answer(link, outcome.failure);
  }

  /** Refused: a restore creates nothing in the backup folder. */
  protected override async createDirectory(message: DLMessageOf<'DLMessageCreateDirectory'>, link: DeviceLink): Promise<void> {
    this.refuseChange('CreateDirectory', [message.path], link);
  }

  /** Refused: a restore moves nothing in the backup folder. */
  protected override async moveItems(message: DLMessageOf<'DLMessageMoveItems' | 'DLMessageMoveFiles'>, link: DeviceLink): Promise<void> {
    this.refuseChange('MoveItems', message.moves.flatMap((move) => [move.from, move.to]), link);
  }

  /** Refused: a restore deletes nothing in the backup folder. */
  protected override async removeItems(message: DLMessageOf<'DLMessageRemoveItems' | 'DLMessageRemoveFiles'>, link: DeviceLink): Promise<void> {
    this.refuseChange('RemoveItems', message.paths, link);
  }

  /** Refused: a restore copies nothing in the backup folder. */
  protected override async copyItem(message: DLMessageOf<'DLMessageCopyItem'>, link: DeviceLink): Promise<void> {
    this.refuseChange('CopyItem', [message.from, message.to], link);
  }

  /** Answers a request to change the backup folder with "Read-only file system", and says so in the log and the result. */
  private refuseChange(request: string, devicePaths: readonly string[], link: DeviceLink): void {
    for (const devicePath of devicePaths) this.remember(devicePath);
    this.logger.warn("Refused the device's request because a restore only reads the backup folder and never changes it.", {
      request,
      paths: devicePaths.slice(0, 4).map((p) => p.slice(0, 256)).join(', '),
    });
    this.answer(link, { code: DL_DEVICE_ERROR.Generic, text: READ_ONLY_TEXT });
  }

  /** Checks a device path; a refused one is remembered, logged and turned into the failure to answer. */
  private async map(devicePath: string): Promise<MapOutcome> {
    try {
      return { ok: true, mapped: await this.paths.map(devicePath) };
    } catch (err) {
      if (isUnsafePathError(err)) {
        this.remember(devicePath);
        this.logger.warn(err.message.slice(0, 1024));
        return { ok: false, failure: { code: DL_DEVICE_ERROR.Generic, text: REFUSED_PATH_TEXT } };
      }
      const cause = (err as { cause?: unknown }).cause ?? err;
      return { ok: false, failure: deviceLinkFailure(cause) };
    }
  }

  private remember(devicePath: string): void {
    if (this.refusedPaths.length < MAX_REFUSED_PATHS) this.refusedPaths.push(devicePath.slice(0, 1024));
  }

  /** The requested files in order, each checked as it comes up. */
  private async *requestedFiles(devicePaths: string[]): AsyncGenerator<RequestedFile> {
    for (const devicePath of devicePaths) {
      const outcome = await this.map(devicePath);
      yield outcome.ok ? { devicePath, absolute: outcome.mapped.absolute } : { devicePath, failure: outcome.failure };
    }
  }
}
