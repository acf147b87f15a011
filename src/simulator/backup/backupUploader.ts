import type { Logger } from '../../common/logger';
import type { DeviceLogLevel } from '../deviceLog';
import {
  buildUploadFiles,
  DL_BLOCK_CODE,
  encodeBlockHeader,
  encodeSuccessBlock,
  encodeTransferEnd,
  encodeTransferName,
} from '../../services/deviceLinkCodec';
import type { BackupFaults } from './backupFaults';
import type { DeviceLinkSession } from './deviceLinkSession';
import { BackupRequestFailure, MB_ERROR, SimulatedConnectionDrop } from './mobileBackupErrors';

/** One file the device sends in an UploadFiles batch. */
export interface UploadItem {
  /** The device-side name (`<domain>/<relativePath>`). */
  deviceName: string;
  /** Where the host writes it, relative to the backup root (`<UDID>/Snapshot/ab/ab12…`). */
  targetPath: string;
  /** Content bytes (for the batch byte count). */
  size: number;
  /** The content as chunks of at most 32 KiB, produced on demand. */
  content(): Iterable<Buffer>;
  /** Set for dataset files: counted, and subject to the disconnect faults. */
  fileID?: string;
}

/** What has been uploaded so far in this request. */
export interface UploadCounters {
  files: number;
  bytes: number;
  fileIds: string[];
  batches: number;
}

/**
 * Sends UploadFiles batches: the DL message, then for each file its two names, 32 KiB data
 * blocks and the success block, then the zero terminator, then waits for the host's status. The
 * disconnect faults cut the stream exactly where they say (after N files, or after N content
 * bytes, mid-block if need be), after flushing what came before.
 */
export class BackupUploader {
  readonly counters: UploadCounters = { files: 0, bytes: 0, fileIds: [], batches: 0 };

  constructor(
    private readonly session: DeviceLinkSession,
    private readonly faults: BackupFaults,
    private readonly log: Logger,
    /** Writes a BackupAgent2 line to the device log (what idevicesyslog shows). */
    private readonly agentLog: (level: DeviceLogLevel, message: string) => void,
  ) {}

  /** Uploads one batch and returns once the host confirmed it; a host error ends the request with 104. */
  async uploadBatch(items: readonly UploadItem[], progress: number): Promise<void> {
    const batchBytes = items.reduce((sum, item) => sum + item.size, 0);
    this.session.send(buildUploadFiles(progress, batchBytes));
    this.counters.batches++;
    for (const item of items) await this.uploadFile(item);
    await this.session.writeRaw(encodeTransferEnd());
    const status = await this.session.awaitStatus('DLMessageUploadFiles');
    if (status.code !== 0) {
      this.log.error('Failed to upload a batch: the host answered with an error', { batch: this.counters.batches, code: status.code, text: status.text });
      const path = items.length === 1 ? items[0].deviceName : undefined;
      throw new BackupRequestFailure(MB_ERROR.MultipleUploadErrors, 'Multiple errors uploading files', path);
    }
  }

  private async uploadFile(item: UploadItem): Promise<void> {
    await this.session.writeRaw(Buffer.concat([encodeTransferName(item.deviceName), encodeTransferName(item.targetPath)]));
    const limit = item.fileID !== undefined ? this.faults.disconnectAfterBytes : undefined;
    for (const chunk of item.content()) {
      if (limit !== undefined && this.counters.bytes + chunk.length >= limit) {
        const part = chunk.subarray(0, limit - this.counters.bytes);
        // The block header promises the whole chunk; the cable is pulled after `part`.
        await this.session.writeRaw(Buffer.concat([encodeBlockHeader(DL_BLOCK_CODE.FileData, chunk.length), part]));
        this.counters.bytes += part.length;
        await this.drop(`after ${this.counters.bytes} content bytes, in the middle of ${item.deviceName}`, item.deviceName);
      }
      await this.session.writeRaw(Buffer.concat([encodeBlockHeader(DL_BLOCK_CODE.FileData, chunk.length), chunk]));
      if (item.fileID !== undefined) this.counters.bytes += chunk.length;
    }
    await this.session.writeRaw(encodeSuccessBlock());
    if (item.fileID === undefined) return;
    this.counters.files++;
    this.counters.fileIds.push(item.fileID);
    const afterFiles = this.faults.disconnectAfterFiles;
    if (afterFiles !== undefined && this.counters.files >= afterFiles) await this.drop(`after ${this.counters.files} files`, undefined);
  }

  /** Drops the connection before the first dataset file when disconnectAfterFiles is 0. */
  async dropIfNoFilesAllowed(): Promise<void> {
    if (this.faults.disconnectAfterFiles === 0) await this.drop('before the first file', undefined);
  }

  private async drop(where: string, file: string | undefined): Promise<never> {
    await this.session.connection.drained(0);
    this.log.warn('Connection to the host lost while uploading files (scenario fault: cable pulled)', { where });
    // What BackupAgent2 reports when the USB link goes away under an upload.
    this.agentLog('Error', `Failed to upload ${file ?? `batch ${this.counters.batches + 1}`}: Error Domain=NSPOSIXErrorDomain Code=32 "Broken pipe"`);
    this.agentLog('Error', `DeviceLink connection to the host was interrupted after ${this.counters.files} files (${this.counters.bytes} bytes)`);
    throw new SimulatedConnectionDrop(`scenario fault: connection dropped ${where}`);
  }
}
