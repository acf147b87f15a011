import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../logger';
import { silentLogger } from '../../logger';
import type { DeviceLink } from '../../services/deviceLink';
import { DL_DEVICE_ERROR, type DLFileFailure, type DLMessageOf } from '../../services/deviceLinkCodec';
import { DeviceLinkRequestHandlers } from '../engine/deviceLinkRequestHandlers';
import type { DevicePathMapper, MappedPath } from '../engine/devicePathMapper';
import { createFreshFile } from '../engine/freshFile';
import { deviceLinkFailure } from '../engine/posixErrorText';
import { copyReplacing, moveReplacing } from '../engine/replacingItemChanges';
import { sendRequestedFiles, type RequestedFile } from '../engine/sendRequestedFiles';
import { isUnsafePathError } from '../format/formatErrors';
import { isInsideFolder } from '../format/safePath';
import type { RestoreProgressTracker } from './restoreProgress';

/** The text sent with a refused path: the host will not serve anything outside the backup folder. */
export const REFUSED_PATH_TEXT = 'Operation not permitted';

/** Read timeout per piece of an upload: data keeps flowing, a long stall means a dead link. */
const UPLOAD_READ_TIMEOUT_MS = 120_000;

/** A mapped path, or the failure to answer for a path that is refused or cannot be checked. */
type MapOutcome = { ok: true; mapped: MappedPath } | { ok: false; failure: DLFileFailure };

/**
 * The host's answers to the device's DeviceLink requests during a restore (protocol.md §4.3), served
 * from the backup folder. The device is untrusted: every path it names goes through the path
 * mapper (`<UDID>/…` only, no "..", not absolute, no symlink out of the folder, no symlink at the
 * file itself), and a refused path is answered with an error for that path alone, so nothing outside
 * the folder is ever read or written. File content is streamed in 32 KiB blocks, never held whole.
 */
export class RestoreRequestHandlers extends DeviceLinkRequestHandlers {
  /** Device paths that were refused because they lead outside the backup folder. */
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

  /**
   * Receives an upload (devices rarely send one during a restore) into the backup folder as fresh
   * files. The whole stream is always read to stay in step; a refused or unwritable target is
   * answered with its error code after the stream ends.
   */
  protected override async uploadFiles(_message: DLMessageOf<'DLMessageUploadFiles'>, link: DeviceLink): Promise<void> {
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
            failure ??= deviceLinkFailure(err);
          }
        } else if (event.kind === 'data') {
          if (!current?.handle) continue;
          try {
            await current.handle.write(event.bytes);
          } catch (err) {
            failure ??= deviceLinkFailure(err);
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

  /** Lists a directory of the backup with type, size and modification date of each entry. */
  protected override async contentsOfDirectory(message: DLMessageOf<'DLContentsOfDirectory'>, link: DeviceLink): Promise<void> {
    const outcome = await this.map(message.path);
    if (outcome.ok) await this.answerDirectoryContents(outcome.mapped, link);
    else this.answer(link, outcome.failure);
  }

  /** mkdir -p inside the backup folder; an existing directory is success. */
  protected override async createDirectory(message: DLMessageOf<'DLMessageCreateDirectory'>, link: DeviceLink): Promise<void> {
    const outcome = await this.map(message.path);
    if (!outcome.ok) {
      this.answer(link, outcome.failure);
      return;
    }
    try {
      await fs.mkdir(outcome.mapped.absolute, { recursive: true });
    } catch (err) {
      this.answer(link, deviceLinkFailure(err));
      return;
    }
    this.answer(link, undefined);
  }

  /** Renames each pair inside the backup folder, replacing an existing destination; the folder itself never moves. */
  protected override async moveItems(message: DLMessageOf<'DLMessageMoveItems' | 'DLMessageMoveFiles'>, link: DeviceLink): Promise<void> {
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
        await moveReplacing(from.mapped.absolute, to.mapped.absolute);
      } catch (err) {
        failure ??= deviceLinkFailure(err);
      }
    }
    this.answer(link, failure);
  }

  /** Deletes each path inside the backup folder (recursively); a missing path is fine, the folder itself is kept. */
  protected override async removeItems(message: DLMessageOf<'DLMessageRemoveItems' | 'DLMessageRemoveFiles'>, link: DeviceLink): Promise<void> {
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
        failure ??= deviceLinkFailure(err);
      }
    }
    this.answer(link, failure);
  }

  /** Copies a file, or a folder of regular files, inside the backup folder. */
  protected override async copyItem(message: DLMessageOf<'DLMessageCopyItem'>, link: DeviceLink): Promise<void> {
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
      await copyReplacing(from.mapped.absolute, to.mapped.absolute);
    } catch (err) {
      this.answer(link, deviceLinkFailure(err));
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
      return { ok: false, failure: deviceLinkFailure(cause) };
    }
  }

  /** The requested files in order, each checked as it comes up. */
  private async *requestedFiles(devicePaths: string[]): AsyncGenerator<RequestedFile> {
    for (const devicePath of devicePaths) {
      const outcome = await this.map(devicePath);
      yield outcome.ok ? { devicePath, absolute: outcome.mapped.absolute } : { devicePath, failure: outcome.failure };
    }
  }
}
