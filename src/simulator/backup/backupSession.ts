import { randomUUID } from 'node:crypto';
import type { Logger } from '../../common/logger';
import { getBoolean, getDict, getString, type PlistDict } from '../../plist';
import {
  buildCreateDirectory,
  buildGetFreeDiskSpace,
  buildMoveItems,
  buildProcessMessage,
  buildPurgeDiskSpace,
  buildRemoveItems,
  DL_DEVICE_ERROR,
  type DLMove,
} from '../../services/deviceLinkCodec';
import { SimulatedDataset } from '../dataset/simulatedDataset';
import type { DeviceLogLevel } from '../deviceLog';
import { requirePasscodeForBackup } from './passcodePrompt';
import type { VirtualDevice } from '../virtualDevice';
import { buildManifestDb, buildManifestPlist, buildStatusPlist } from './backupDocuments';
import { readBackupFaults, type BackupFaults } from './backupFaults';
import { assessPreviousBackup, planBackup, type BackupPlan, type PreviousBackupAssessment } from './backupPlan';
import type { BackupProtection, BackupProtectionFactory } from './backupProtection';
import type { BackupRunReport } from './backupRunReport';
import { noteUnencryptedBackupCompleted } from './changePasswordQuirk';
import { BackupUploader, type UploadItem } from './backupUploader';
import { DeviceBackupState } from './deviceBackupState';
import type { DeviceLinkSession } from './deviceLinkSession';
import { BackupRequestFailure, DEVICE_RESTARTING_DESCRIPTION, HostLeftSession, MB_ERROR, mbErrorDescription, SimulatedConnectionDrop } from './mobileBackupErrors';
import { downloadPreviousBackupFiles } from './previousBackupDownload';

/** A batch ends after this many files or bytes (a single large file is its own batch). */
const BATCH_MAX_FILES = 1000;
const BATCH_MAX_BYTES = 32 * 1024 * 1024;
/** Pairs per MoveItems and paths per RemoveItems message. */
const PATHS_PER_MESSAGE = 1000;
/** Free space the device wants on the host beyond the upload itself (docs/protocol/mobilebackup2.md#free-space-and-purge). */
const FREE_SPACE_MARGIN = 128 * 1024 * 1024;
/** Extra space asked for in a purge request. */
const PURGE_EXTRA = 2 * 1024 * 1024 * 1024;
/** How long the device waits for a purge answer; hosts without a purge handler never send one. */
const PURGE_ANSWER_TIMEOUT_MS = 30_000;
/** First iOS major version whose devices send DLMessagePurgeDiskSpace. */
const PURGE_SINCE_IOS = 14;

/** Overall progress (percent) reported at each stage, as a device's stage-based estimate. */
const PROGRESS = { uploadStart: 5, uploadEnd: 90, manifests: 92, moves: 95, cleanup: 99, done: 100 } as const;

/**
 * One Backup request, device side (docs/protocol/mobilebackup2.md#backup-sequence): download the host's previous Status.plist /
 * Manifest.plist / Manifest.db, decide full or incremental, check free space, upload the changed
 * files into `<UDID>/Snapshot/`, upload Manifest.db and Manifest.plist, move everything into place,
 * remove the snapshot folder, write the finished Status.plist and send the final result.
 */
export class BackupSession {
  private readonly log: Logger;
  private readonly faults: BackupFaults;
  private readonly state: DeviceBackupState;
  private readonly uploader: BackupUploader;
  private readonly udid: string;

  constructor(
    private readonly session: DeviceLinkSession,
    private readonly device: VirtualDevice,
    private readonly protectionFactory: BackupProtectionFactory,
  ) {
    this.log = device.logger.child('BackupAgent2');
    this.faults = readBackupFaults(device.spec.faults, this.log);
    this.state = new DeviceBackupState(device.state.dir, device.udid, this.log);
    this.uploader = new BackupUploader(session, this.faults, this.log, (level, message) => this.agentLog(level, message));
    this.udid = device.udid;
  }

  /**
   * Runs the request to its final ProcessMessage. A simulated cable pull or a host that leaves is
   * rethrown (the service then closes the connection); every other failure becomes the final
   * ErrorCode.
   */
  async run(request: PlistDict): Promise<void> {
    const startedAt = new Date();
    const report: BackupRunReport = {
      mode: 'full', outcome: 'dropped', errorCode: undefined, filesUploaded: 0, fileBytesUploaded: 0,
      uploadedFileIds: [], filesRemoved: 0, generation: this.device.spec.dataset.generation, startedAt, endedAt: startedAt,
    };
    if (this.device.restartPending) {
      this.finish(report, new BackupRequestFailure(MB_ERROR.Generic, DEVICE_RESTARTING_DESCRIPTION));
      return;
    }
    if (this.device.backupInProgress) {
      this.finish(report, new BackupRequestFailure(MB_ERROR.Generic, 'A backup is already in progress on this device'));
      return;
    }
    this.device.backupInProgress = true;
    try {
      await this.backup(request, report);
      this.finish(report, undefined);
    } catch (err) {
      if (err instanceof BackupRequestFailure) {
        this.finish(report, err);
        return;
      }
      const reason = err instanceof HostLeftSession || err instanceof SimulatedConnectionDrop ? err.message : `unexpected error: ${(err as Error).message}`;
      this.log.error('Backup ended without a result', { reason });
      if (err instanceof HostLeftSession) this.agentLog('Error', 'Backup cancelled: the host closed the DeviceLink connection');
      throw err;
    } finally {
      this.device.backupInProgress = false;
      report.filesUploaded = this.uploader.counters.files;
      report.fileBytesUploaded = this.uploader.counters.bytes;
      report.uploadedFileIds = this.uploader.counters.fileIds;
      report.endedAt = new Date();
      this.device.lastBackup = report;
    }
  }

  private async backup(request: PlistDict, report: BackupRunReport): Promise<void> {
    const target = getString(request, 'TargetIdentifier');
    if (target !== undefined && target.toUpperCase() !== this.udid.toUpperCase()) {
      this.log.warn('Backup request names another device; backing up this one', { target: target.slice(0, 64) });
    }
    if (this.faults.refuseBackup) {
      this.log.error('Backup refused (scenario fault refuseBackup)', { description: this.faults.refuseBackup.description });
      throw new BackupRequestFailure(this.faults.refuseBackup.code, this.faults.refuseBackup.description);
    }
    // iOS 16.1+ with a passcode: nothing happens until it is typed on the device (208 when nobody does).
    await requirePasscodeForBackup(this.device);
    const protection = await this.protectionFactory(this.device);
    if (!protection) {
      this.log.error('Backup encryption is on (WillEncrypt) but no encryption support is installed in the simulator');
      throw new BackupRequestFailure(MB_ERROR.Generic, 'This simulated device cannot make encrypted backups');
    }
    const options = getDict(request, 'Options');
    const forceFull = options !== undefined && getBoolean(options, 'ForceFullBackup') === true;
    // After a restore the device backs up the restored files, not its generated dataset.
    const dataset = this.device.currentContent();

    const plan = await this.makePlan(dataset, forceFull, protection);
    report.mode = plan.mode;
    report.filesRemoved = plan.removals.length;
    const uploadBytes = plan.uploads.reduce((sum, f) => sum + f.size, 0);
    this.log.info('Starting backup', { mode: plan.mode, why: plan.reason, files: plan.uploads.length, bytes: uploadBytes, generation: dataset.spec.generation });
    await this.ensureFreeSpace(uploadBytes);
    // Logged once the space check passed: a failed check reads as its own reason lines only.
    this.logScan(dataset, plan);

    const uuid = randomUUID().toUpperCase();
    const isFull = plan.mode === 'full';
    const prefixes = [...new Set(plan.uploads.map((f) => f.fileID.slice(0, 2)))].sort();
    await this.createDirectory(`${this.udid}/Snapshot`);
    for (const prefix of prefixes) await this.createDirectory(`${this.udid}/Snapshot/${prefix}`);
    await this.uploader.uploadBatch([this.statusItem(uuid, isFull, 'uploading')], PROGRESS.uploadStart);
    if (this.faults.uploadOutsidePath) await this.uploadOutsideItems();
    await this.uploader.dropIfNoFilesAllowed();

    const encryptionKeys = await this.uploadFiles(dataset, plan, protection, uploadBytes);
    this.log.info('Finished uploading', { batches: this.uploader.counters.batches, files: this.uploader.counters.files, bytes: this.uploader.counters.bytes });
    const seconds = ((Date.now() - report.startedAt.getTime()) / 1000).toFixed(3);
    this.agentLog('Notice', `Finished uploading ${this.uploader.counters.batches} batches, s:{0,0,0,0}, t:${seconds}, r:0.000`);

    const manifestDb = await buildManifestDb(dataset, new Map([...plan.keptEncryptionKeys, ...encryptionKeys]), protection);
    const manifestPlist = buildManifestPlist(this.device, protection, new Date());
    await this.uploader.uploadBatch(
      [bufferItem('Manifest.db', `${this.udid}/Snapshot/Manifest.db`, manifestDb), bufferItem('Manifest.plist', `${this.udid}/Snapshot/Manifest.plist`, manifestPlist)],
      PROGRESS.manifests,
    );

    for (const prefix of prefixes) await this.createDirectory(`${this.udid}/${prefix}`);
    const moves: DLMove[] = plan.uploads.map((f) => ({ from: this.snapshotPath(f.fileID), to: this.finalPath(f.fileID) }));
    moves.push({ from: `${this.udid}/Snapshot/Manifest.db`, to: `${this.udid}/Manifest.db` });
    moves.push({ from: `${this.udid}/Snapshot/Manifest.plist`, to: `${this.udid}/Manifest.plist` });
    for (let i = 0; i < moves.length; i += PATHS_PER_MESSAGE) {
      const status = await this.session.request(buildMoveItems(moves.slice(i, i + PATHS_PER_MESSAGE), PROGRESS.moves));
      if (status.code !== 0) throw this.hostFailure(MB_ERROR.IoError, 'Error moving backup files into place', status.code, status.text);
    }
    const removals = plan.removals.map((id) => this.finalPath(id));
    for (let i = 0; i < removals.length; i += PATHS_PER_MESSAGE) {
      // A missing file is not an error for hosts; anything else is only logged, as the data is already safe.
      const status = await this.session.request(buildRemoveItems(removals.slice(i, i + PATHS_PER_MESSAGE), PROGRESS.cleanup));
      if (status.code !== 0) this.log.warn('The host could not remove files gone from the device', { code: status.code });
    }
    const snapshotRemoval = await this.session.request(buildRemoveItems([`${this.udid}/Snapshot`], PROGRESS.cleanup));
    if (snapshotRemoval.code !== 0) throw this.hostFailure(MB_ERROR.MultipleUploadErrors, 'Error removing snapshot directory', snapshotRemoval.code, snapshotRemoval.text);

    await this.uploader.uploadBatch([this.statusItem(uuid, isFull, 'finished')], PROGRESS.done);
    this.state.remember({ uuid, finishedAt: new Date().toISOString(), mode: plan.mode, generation: dataset.spec.generation, fileCount: dataset.entries.length });
    if (!protection.isEncrypted) noteUnencryptedBackupCompleted(this.device);
    this.log.info('Backup finished', { uuid, mode: plan.mode, files: this.uploader.counters.files });
  }

  /** Downloads what the host has of its previous backup and decides what to send. */
  private async makePlan(dataset: SimulatedDataset, forceFull: boolean, protection: BackupProtection): Promise<BackupPlan> {
    const names = forceFull ? (['Status.plist'] as const) : (['Status.plist', 'Manifest.plist', 'Manifest.db'] as const);
    const downloads = await downloadPreviousBackupFiles(this.session, this.udid, names, this.log);
    const assessment: PreviousBackupAssessment = forceFull
      ? { usable: false, reason: 'the host asked for a full backup' }
      : await assessPreviousBackup(downloads, this.state.knownUuids(), protection);
    return planBackup(dataset, assessment);
  }

  /** Asks the host for its free space; when short, asks it to purge (iOS 14+), and fails with 105 if still short. */
  private async ensureFreeSpace(uploadBytes: number): Promise<void> {
    if (this.faults.skipHostFreeSpaceCheck) {
      this.log.warn('Not asking the host for its free space (scenario fault skipHostFreeSpaceCheck)');
      return;
    }
    const need = uploadBytes + FREE_SPACE_MARGIN;
    let free = await this.hostFreeSpace();
    if (this.faults.lowHostDiskQuery) this.log.warn('Treating the host as low on disk space (scenario fault lowHostDiskQuery)');
    const short = () => this.faults.lowHostDiskQuery === true || free < need;
    if (!short()) return;
    this.log.warn('Not enough free space on the host', { free, need });
    if (Number.parseInt(this.device.spec.productVersion, 10) >= PURGE_SINCE_IOS) {
      const amount = Math.max(0, need - free) + PURGE_EXTRA;
      this.log.info('Asking the host to purge', { amount, urgency: 4 });
      this.session.send(buildPurgeDiskSpace(amount, 4));
      try {
        const status = await this.session.awaitStatus('DLMessagePurgeDiskSpace', PURGE_ANSWER_TIMEOUT_MS);
        this.log.info('The host answered the purge request', { code: status.code });
        if (status.code === 0) free = await this.hostFreeSpace();
      } catch (err) {
        if (err instanceof HostLeftSession || err instanceof SimulatedConnectionDrop) throw err;
        this.log.warn('The host did not answer the purge request', { reason: (err as Error).message });
      }
    }
    if (short()) throw new BackupRequestFailure(MB_ERROR.InsufficientSpace, 'Insufficient free disk space on drive to back up');
  }

  private async hostFreeSpace(): Promise<number> {
    const status = await this.session.request(buildGetFreeDiskSpace());
    const value = status.value;
    if (status.code !== 0) return 0;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    if (typeof value === 'bigint' && value >= 0n) return Number(value);
    return 0;
  }

  private async createDirectory(path: string): Promise<void> {
    const status = await this.session.request(buildCreateDirectory(path));
    if (status.code !== 0 && status.code !== DL_DEVICE_ERROR.Exists) throw this.hostFailure(MB_ERROR.IoError, `Error creating directory at path ${path}`, status.code, status.text);
  }

  /** Uploads the planned files in batches; returns the EncryptionKey of each uploaded file (if any). */
  private async uploadFiles(dataset: SimulatedDataset, plan: BackupPlan, protection: BackupProtection, totalBytes: number): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    let batch: UploadItem[] = [];
    let batchBytes = 0;
    let doneBytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const progress = PROGRESS.uploadStart + ((PROGRESS.uploadEnd - PROGRESS.uploadStart) * doneBytes) / Math.max(1, totalBytes);
      await this.uploader.uploadBatch(batch, progress);
      doneBytes += batchBytes;
      batch = [];
      batchBytes = 0;
    };
    for (const file of plan.uploads) {
      const protectedFile = protection.protectFile(file);
      if (protectedFile.encryptionKey) keys.set(file.fileID, protectedFile.encryptionKey);
      batch.push({
        deviceName: `${file.domain}/${file.relativePath}`,
        targetPath: this.snapshotPath(file.fileID),
        size: file.size,
        fileID: file.fileID,
        content: () => protectedFile.content(dataset.content(file)),
      });
      batchBytes += file.size;
      if (batch.length >= BATCH_MAX_FILES || batchBytes >= BATCH_MAX_BYTES) await flush();
    }
    await flush();
    return keys;
  }

  /** The malicious-device fault: files whose names climb out of the backup folder. */
  private async uploadOutsideItems(): Promise<void> {
    this.log.warn('Uploading files outside the backup folder (scenario fault uploadOutsidePath)');
    this.agentLog('Notice', 'Uploading ../outside/evil.txt and escape outside the backup folder');
    const evil = Buffer.from('This file was written outside the backup folder by a simulated malicious device.\n', 'utf8');
    await this.uploader.uploadBatch(
      [bufferItem('HomeDomain/evil.txt', '../outside/evil.txt', evil), bufferItem('HomeDomain/escape', `${this.udid}/../../escape`, evil)],
      PROGRESS.uploadStart,
    );
  }

  /** The per-domain scan summary BackupAgent2 logs before it uploads anything. */
  private logScan(dataset: SimulatedDataset, plan: BackupPlan): void {
    const domains = new Map<string, { size: number; files: number; dirs: number }>();
    for (const entry of dataset.entries) {
      const totals = domains.get(entry.domain) ?? { size: 0, files: 0, dirs: 0 };
      if (entry.kind === 'file') {
        totals.files++;
        totals.size += entry.size;
      } else {
        totals.dirs++;
      }
      domains.set(entry.domain, totals);
    }
    this.agentLog('Notice', `Starting ${plan.mode} backup (${plan.reason})`);
    for (const [domain, t] of domains) {
      this.agentLog('Notice', `Finished scanning domain ${domain} - size:${t.size}, files:${t.files}, dirs:${t.dirs}, clones:0, hardlinks:0`);
    }
  }

  /** One BackupAgent2 line in the device log (what idevicesyslog shows). */
  private agentLog(level: DeviceLogLevel, message: string): void {
    this.device.log.write('BackupAgent2', undefined, level, message);
  }

  private statusItem(uuid: string, isFull: boolean, state: 'uploading' | 'finished'): UploadItem {
    return bufferItem('Status.plist', `${this.udid}/Status.plist`, buildStatusPlist(uuid, isFull, state, new Date()));
  }

  private snapshotPath(fileID: string): string {
    return `${this.udid}/Snapshot/${fileID.slice(0, 2)}/${fileID}`;
  }

  private finalPath(fileID: string): string {
    return `${this.udid}/${fileID.slice(0, 2)}/${fileID}`;
  }

  private hostFailure(code: number, text: string, hostCode: number, hostText: string | undefined): BackupRequestFailure {
    this.log.error(text, { hostCode, hostText: hostText?.slice(0, 200) });
    return new BackupRequestFailure(code, text);
  }

  /** Sends the final ProcessMessage and records the outcome. */
  private finish(report: BackupRunReport, failure: BackupRequestFailure | undefined): void {
    const content: PlistDict = { MessageName: 'Response', ErrorCode: failure ? failure.errorCode : 0 };
    if (failure) {
      content.ErrorDescription = mbErrorDescription(failure.description, failure.errorCode);
      this.log.error('Backup failed', { description: content.ErrorDescription });
      // What BackupAgent2 and its neighbours say before this code, for syslog_relay clients.
      this.device.log.writeFailureReason(failure.errorCode, { description: failure.description, path: failure.path });
    } else {
      this.agentLog('Notice', 'Backup succeeded');
    }
    this.session.send(buildProcessMessage(content));
    report.outcome = failure ? 'failed' : 'finished';
    report.errorCode = failure ? failure.errorCode : 0;
  }
}

/** An upload of bytes already in memory (Status.plist, Manifest.plist, Manifest.db, fault files). */
function bufferItem(deviceName: string, targetPath: string, bytes: Buffer): UploadItem {
  return {
    deviceName,
    targetPath,
    size: bytes.length,
    *content() {
      for (let offset = 0; offset < bytes.length; offset += 32 * 1024) yield bytes.subarray(offset, offset + 32 * 1024);
    },
  };
}
