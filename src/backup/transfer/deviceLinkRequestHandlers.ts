import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../common/logger';
import { DL_LOOP_END, type DeviceLink, type DLRequestHandlers } from '../../services/deviceLink';
import {
  buildDirectoryContents,
  deviceLinkFailure,
  DL_DEVICE_ERROR,
  DL_FILE_TYPE,
  posixErrorText,
  type DLDirectoryEntry,
  type DLFileFailure,
  type DLMessageOf,
} from '../../services/deviceLinkCodec';
import { parseFinalResult, type Mobilebackup2Result } from '../../services/mobilebackup2';
import { IN_PROGRESS_MARKER } from '../format/backupFolder';
import type { MappedPath } from './devicePathMapper';

/** How a request loop ended: with the device's final result, or with its disconnect. */
export type RequestLoopEnd =
  | { kind: 'result'; result: Mobilebackup2Result }
  | { kind: 'disconnect'; reason: string | undefined };

/**
 * The host's side of the DeviceLink request loop (docs/protocol/mobilebackup2.md#device-requests) that a backup and a restore
 * share: the dispatch table, how the loop ends, and the answers that do not depend on the
 * direction. Each side answers the file requests by its own rules (a backup fails on a path it
 * refuses, a restore refuses that path alone).
 */
export abstract class DeviceLinkRequestHandlers {
  /** How the loop ended, once it has. */
  loopEnd: RequestLoopEnd | undefined;
  /** True once this computer answered a request with "no space left": a failure the device then reports as its own. */
  answeredNoSpace = false;

  /** `freeSpaceFolder` is on the volume whose free space the device is told. */
  protected constructor(
    protected readonly logger: Logger,
    private readonly freeSpaceFolder: string,
  ) {}

  /**
   * Answers the device's requests until it sends its result, and returns that result; a link that ends first
   * (a disconnect message, or none) throws what `disconnected` makes of the reason.
   */
  async serve(link: DeviceLink, options: Parameters<DeviceLink['runRequestLoop']>[1], disconnected: (reason: string | undefined) => Error): Promise<Mobilebackup2Result> {
    await link.runRequestLoop(this.table(), options);
    const end = this.loopEnd;
    if (!end || end.kind === 'disconnect') throw disconnected(end?.reason);
    return end.result;
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

  /** Sends the files the device asks for. */
  protected abstract downloadFiles(message: DLMessageOf<'DLMessageDownloadFiles'>, link: DeviceLink): Promise<void>;
  /** Receives the files the device sends. */
  protected abstract uploadFiles(message: DLMessageOf<'DLMessageUploadFiles'>, link: DeviceLink): Promise<void>;
  /** Lists a directory. */
  protected abstract contentsOfDirectory(message: DLMessageOf<'DLContentsOfDirectory'>, link: DeviceLink): Promise<void>;
  /** Creates a directory with its parents. */
  protected abstract createDirectory(message: DLMessageOf<'DLMessageCreateDirectory'>, link: DeviceLink): Promise<void>;
  /** Renames items. */
  protected abstract moveItems(message: DLMessageOf<'DLMessageMoveItems' | 'DLMessageMoveFiles'>, link: DeviceLink): Promise<void>;
  /** Deletes items. */
  protected abstract removeItems(message: DLMessageOf<'DLMessageRemoveItems' | 'DLMessageRemoveFiles'>, link: DeviceLink): Promise<void>;
  /** Copies an item. */
  protected abstract copyItem(message: DLMessageOf<'DLMessageCopyItem'>, link: DeviceLink): Promise<void>;

  /** Answers with the entries of a checked directory: type, size and modification date of each. */
  protected async answerDirectoryContents(directory: MappedPath, link: DeviceLink): Promise<void> {
    const entries = new Map<string, DLDirectoryEntry>();
    try {
      for await (const entry of await fs.opendir(directory.absolute)) {
        // Our own marker is bookkeeping, not part of the backup the device sees.
        if (directory.isBackupFolder && entry.name === IN_PROGRESS_MARKER) continue;
        const stats = await fs.lstat(path.join(directory.absolute, entry.name));
        const type = stats.isDirectory() ? DL_FILE_TYPE.Directory : stats.isFile() ? DL_FILE_TYPE.Regular : DL_FILE_TYPE.Unknown;
        entries.set(entry.name, { type, size: stats.size, modified: stats.mtime });
      }
    } catch (err) {
      this.answer(link, deviceLinkFailure(err));
      return;
    }
    link.sendStatusResponse(0, undefined, buildDirectoryContents(entries));
  }

  /** Answers a request with its first failure, or with success. */
  protected answer(link: DeviceLink, failure: DLFileFailure | undefined): void {
    if (failure?.code === DL_DEVICE_ERROR.NoSpace) this.answeredNoSpace = true;
    if (failure) link.sendStatusResponse(failure.code, failure.text, {});
    else link.sendStatusResponse(0, undefined, {});
  }

  /** Reports the free bytes of the volume holding the backup. */
  private async getFreeDiskSpace(link: DeviceLink): Promise<void> {
    try {
      const stats = await fs.statfs(this.freeSpaceFolder);
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
}
