import { readFileSync } from 'node:fs';
import { unwrapFileKey, type ClassKeys } from '../../backup/crypto';
import { compareIosVersions, isIosVersion } from '../../common/iosVersion';
import { ProtocolError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import type { PlistDict } from '../../plist';
import { buildProcessMessage } from '../../services/deviceLinkCodec';
import type { DeviceLinkSession } from '../backup/deviceLinkSession';
import { BackupRequestFailure, HostLeftSession, mbErrorDescription, SimulatedConnectionDrop } from '../backup/mobileBackupErrors';
import { CONFIGURATION_PROFILES_DOMAIN } from '../dataset/configurationProfileStore';
import type { DeviceLogLevel } from '../deviceLog';
import type { Management } from '../deviceManagement';
import type { VirtualDevice } from '../virtualDevice';
import { readBackupInventory, type BackupItem } from './backupItems';
import { readBackupProperties, type BackupProperties } from './backupProperties';
import { plainManifestDb, unlockBackupKeybag } from './backupUnlock';
import { managementFromProfileStore } from './cloudConfiguration';
import { contentDigest } from './contentDigest';
import { stageKeptItems } from './keptItems';
import { managementAfterRestore } from './managementAfterRestore';
import { showPasscodePrompt } from '../backup/passcodePrompt';
import { appsToReinstall } from './restoreApplications';
import {
  badSourceFailure,
  busyFailure,
  downloadFailure,
  findMyFailure,
  insufficientSpaceFailure,
  passcodeTimeoutFailure,
  pendingRestoreFailure,
  RestoreFailure,
  restartingFailure,
  tooOldFailure,
} from './restoreFailures';
import { readRestoreFaults, type RestoreFaults } from './restoreFaults';
import { planRestore, type RestorePlan } from './restorePlan';
import type { RestoreRecord } from './restoreRecords';
import { parseRestoreRequest, type RestoreRequest } from './restoreRequest';
import { RESTORE_METADATA_FILES, RestoreStaging, type RestoreMetadataFile } from './restoreStaging';
import { withDeviceProfileStore } from './restoredProfileStore';
import { downloadIntoStaging, type StagedDownload } from './stagedDownload';
import type { StoredEntry } from './storedContent';

/** Per-file caps of the metadata: the device reads these files whole, so a hostile host must not send more. */
const METADATA_CAPS: Record<RestoreMetadataFile, number> = {
  'Status.plist': 1024 * 1024,
  'Manifest.plist': 64 * 1024 * 1024,
  'Manifest.db': 512 * 1024 * 1024,
  'Info.plist': 64 * 1024 * 1024,
};
/** A batch of content downloads ends after this many files or bytes (a large file is its own batch). */
const BATCH_MAX_FILES = 1000;
const BATCH_MAX_BYTES = 32 * 1024 * 1024;
/** Room for a stale Manifest.db Size: a little more than declared is taken, never an unbounded amount. */
const SIZE_SLACK_BYTES = 64 * 1024;
/** AES block: an encrypted file is its plaintext rounded up to the next block (PKCS#7 always pads). */
const AES_BLOCK = 16;
/** Overall progress (percent) at each stage, as a device's stage-based estimate. */
const PROGRESS = { metadata: 0, filesStart: 5, filesEnd: 95 } as const;
/** First inode number given to restored items whose MBFile has none. */
const FIRST_SYNTHETIC_INODE = 3_000_000;

/** What a finished restore staged. */
interface StagedRestore {
  record: RestoreRecord;
  request: RestoreRequest;
  managementNote: string | undefined;
}

/**
 * One Restore request, device side (docs/protocol/mobilebackup2.md#restore-sequence): the iOS 16.1+ passcode prompt, the Find My
 * refusal, then DownloadFiles of the backup's Status.plist / Manifest.plist / Manifest.db /
 * Info.plist, the password check of an encrypted backup, the iOS-version and free-space checks,
 * DownloadFiles batches of the content (streamed, decrypted and hashed into the staging folder),
 * the device's kept files added to the staging folder, and the final Response. The staged restore
 * moves into place at the next restart, which the device does by itself unless RestoreShouldReboot
 * is false; anything that stops the restore first discards the staging folder, leaving the device
 * unchanged.
 */
export class RestoreSession {
  private readonly log: Logger;
  private readonly faults: RestoreFaults;
  private staging: RestoreStaging | undefined;
  /** Set once the staged restore is recorded: from then on it belongs to the device, whatever happens to the link. */
  private committed = false;
  private filesStaged = 0;

  constructor(
    private readonly session: DeviceLinkSession,
    private readonly device: VirtualDevice,
  ) {
    this.log = device.logger.child('BackupAgent2');
    this.faults = readRestoreFaults(device.spec.faults, this.log);
  }

  /** Runs the request to its final ProcessMessage; a cable pull or a host that leaves is rethrown (the service then closes). */
  async run(request: PlistDict): Promise<void> {
    if (this.device.restartPending) {
      this.finish(restartingFailure());
      return;
    }
    if (this.device.backupInProgress) {
      this.finish(busyFailure());
      return;
    }
    this.device.backupInProgress = true;
    try {
      const staged = await this.restore(request);
      this.logOutcome(staged);
      try {
        this.finish(undefined);
      } finally {
        // The restore is committed: the device restarts to apply it even when the cable goes with the result.
        if (staged.request.shouldReboot) this.scheduleRestart();
      }
    } catch (err) {
      if (!this.committed) this.staging?.discard();
      if (err instanceof BackupRequestFailure) {
        this.finish(err);
        return;
      }
      const reason = err instanceof HostLeftSession || err instanceof SimulatedConnectionDrop || err instanceof ProtocolError ? err.message : `unexpected error: ${(err as Error).message}`;
      this.log.error('Restore ended without a result', { reason });
      this.agentLog('Error', `Restore interrupted (${reason}); discarded /var/.backup.i, the device is unchanged`);
      throw err;
    } finally {
      this.device.backupInProgress = false;
    }
  }

  private async restore(raw: PlistDict): Promise<StagedRestore> {
    const request = parseRestoreRequest(raw, this.device.udid);
    if (!request) throw badSourceFailure();
    if (request.targetIdentifier !== undefined && request.targetIdentifier.toUpperCase() !== this.device.udid.toUpperCase()) {
      this.log.warn('Restore request names another device; restoring this one', { target: request.targetIdentifier.slice(0, 64) });
    }
    this.agentLog(
      'Notice',
      `Starting restore from backup ${request.sourceIdentifier} (system files: ${yesNo(request.restoreSystemFiles)}, preserve settings: ${yesNo(request.preserveSettings)}, ` +
        `remove items not restored: ${yesNo(request.removeItemsNotRestored)}, reboot: ${yesNo(request.shouldReboot)}, password: ${yesNo(request.password !== undefined)})`,
    );
    const prompt = await showPasscodePrompt(this.device, 'restore');
    if (prompt.kind === 'timed-out') throw passcodeTimeoutFailure(prompt.waitedMs);
    if (this.device.spec.findMy) throw findMyFailure();

    const state = this.device.restored;
    const staging = RestoreStaging.create(state.root);
    this.staging = staging;
    const properties = await this.downloadProperties(staging, request.sourceIdentifier);
    this.checkVersion(properties);
    const classKeys = properties.encrypted ? await unlockBackupKeybag(properties.manifest, request.password) : undefined;
    if (classKeys) this.agentLog('Notice', 'Backup keybag unlocked');
    const inventory = await readBackupInventory(plainManifestDb(readFileSync(staging.metadataPath('Manifest.db')), properties.manifest, classKeys));

    const spec = this.device.spec;
    const current = state.currentEntries(spec.dataset);
    const plan = planRestore(inventory.items, current.kind === 'stored' ? current.entries : current.dataset.entries, request);
    const free = state.freeBytes(spec);
    if (free < plan.downloadBytes) throw insufficientSpaceFailure(free, plan.downloadBytes);
    this.agentLog(
      'Notice',
      `Restoring ${plan.files.length} files (${plan.downloadBytes} bytes) and ${plan.directories.length} folders; keeping ${plan.kept.length} items, removing ${plan.removed}` +
        (inventory.skipped > 0 ? `; skipping ${inventory.skipped} symlinks` : ''),
    );

    const restored = await this.downloadContent(plan, staging, request.sourceIdentifier, classKeys);
    const kept = await stageKeptItems(plan.kept, current, staging);
    if (state.hasPendingRestore || this.faults.pendingRebootAfterRestore) {
      if (this.faults.pendingRebootAfterRestore) this.log.warn('Acting as if an earlier restore awaits a restart (scenario fault pendingRebootAfterRestore)');
      throw pendingRestoreFailure();
    }

    const management = request.restoreSystemFiles ? this.managementAfter(properties, plan, staging) : undefined;
    const facts = {
      // Names and UDIDs come from the host's files: bounded before they become device facts.
      name: request.preserveSettings ? spec.name : (properties.deviceName?.slice(0, 255) ?? spec.name),
      supervised: management ? management.after.supervised : spec.supervised,
      mdm: management ? management.after.mdm : spec.mdm,
    };
    const staged = withDeviceProfileStore([...restored, ...kept], { supervised: facts.supervised, mdm: facts.mdm, organizationName: spec.organizationName }, staging);
    const entries = staged.sort((x, y) => (x.domain === y.domain ? compareText(x.relativePath, y.relativePath) : compareText(x.domain, y.domain)));
    const record: RestoreRecord = {
      version: 1,
      base: state.scenarioBase(),
      facts,
      restoredFrom: (properties.sourceUdid ?? request.sourceIdentifier).slice(0, 64),
      restoredAt: new Date().toISOString(),
      folder: staging.filesFolder,
      summary: contentDigest(entries),
      entries,
    };
    state.stagePending(record);
    this.committed = true;
    return { record, request, managementNote: management?.note };
  }

  /** Downloads and reads the metadata files; any of the three the device needs missing ends the restore with 205. */
  private async downloadProperties(staging: RestoreStaging, source: string): Promise<BackupProperties> {
    const targets: StagedDownload[] = RESTORE_METADATA_FILES.map((file) => ({
      requestPath: `${source}/${file}`,
      stagePath: staging.metadataPath(file),
      maxBytes: METADATA_CAPS[file],
    }));
    const outcomes = await downloadIntoStaging(this.session, targets, PROGRESS.metadata);
    const failures = new Map<string, string>();
    for (const target of targets) {
      const outcome = outcomes.get(target.requestPath);
      // Info.plist is the host's own description: the device can do without it.
      if (outcome?.status === 'failed' && !target.requestPath.endsWith('/Info.plist')) failures.set(target.requestPath, outcome.reason);
    }
    if (failures.size > 0) throw downloadFailure(failures);
    return readBackupProperties(staging, outcomes.get(`${source}/Info.plist`)?.status === 'staged');
  }

  /** A backup from a newer iOS cannot be restored: the device cannot migrate data backwards. */
  private checkVersion(properties: BackupProperties): void {
    const backupVersion = properties.productVersion;
    const deviceVersion = this.device.spec.productVersion;
    if (backupVersion === undefined || !isIosVersion(backupVersion)) {
      this.log.warn('The backup does not name a usable iOS version; not comparing', { version: backupVersion?.slice(0, 32) });
      return;
    }
    if (compareIosVersions(backupVersion, deviceVersion) > 0) throw tooOldFailure(this.device.spec.deviceClass, backupVersion, deviceVersion);
  }

  /** Downloads the planned files in batches into the staging folder; returns them as content entries. */
  private async downloadContent(plan: RestorePlan, staging: RestoreStaging, source: string, classKeys: ClassKeys | undefined): Promise<StoredEntry[]> {
    const limit = this.faults.disconnectDuringRestoreAfterFiles;
    if (limit === 0) await this.dropIfArmed();
    const staged = new Map<string, { bytes: number; sha256: string }>();
    const failures = new Map<string, string>();
    let batch: { item: BackupItem; target: StagedDownload }[] = [];
    let batchBytes = 0;
    let doneBytes = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      // Devices report the estimate a step reaches, so the batch names where it ends.
      const progress = PROGRESS.filesStart + ((PROGRESS.filesEnd - PROGRESS.filesStart) * (doneBytes + batchBytes)) / Math.max(1, plan.downloadBytes);
      const items = new Map(batch.map(({ item, target }) => [target.requestPath, item]));
      const outcomes = await downloadIntoStaging(
        this.session,
        batch.map((b) => b.target),
        progress,
        async () => {
          this.filesStaged++;
          if (limit !== undefined && this.filesStaged >= limit) await this.dropIfArmed();
        },
      );
      for (const [requestPath, outcome] of outcomes) {
        const item = items.get(requestPath);
        if (!item) continue;
        if (outcome.status === 'staged') staged.set(item.fileID, outcome);
        else failures.set(requestPath, outcome.reason);
      }
      doneBytes += batchBytes;
      batch = [];
      batchBytes = 0;
      if (failures.size > 0) throw downloadFailure(failures);
    };
    for (const item of plan.files) {
      const target = this.downloadTarget(item, staging, source, classKeys);
      if (typeof target === 'string') {
        failures.set(`${source}/${item.hostFileID.slice(0, 2)}/${item.hostFileID}`, target);
        continue;
      }
      batch.push({ item, target });
      batchBytes += item.size;
      if (batch.length >= BATCH_MAX_FILES || batchBytes >= BATCH_MAX_BYTES) await flush();
    }
    await flush();
    if (failures.size > 0) throw downloadFailure(failures);
    this.agentLog('Notice', `Finished downloading ${staged.size} files into /var/.backup.i`);

    let nextInode = FIRST_SYNTHETIC_INODE;
    const entry = (item: BackupItem, bytes: number, sha256: string | undefined): StoredEntry => ({
      domain: item.domain,
      relativePath: item.relativePath,
      fileID: item.fileID,
      kind: item.kind,
      size: bytes,
      mode: item.mode,
      inode: item.inode ?? nextInode++,
      birth: item.birth,
      lastModified: item.lastModified,
      protectionClass: item.protectionClass,
      contentVersion: 0,
      sha256,
    });
    return [
      ...plan.directories.map((item) => entry(item, 0, undefined)),
      ...plan.files.map((item) => {
        const result = staged.get(item.fileID);
        if (!result) throw new Error(`${item.domain}-${item.relativePath} was planned but not staged`);
        return entry(item, result.bytes, result.sha256);
      }),
    ];
  }

  /** Where one file comes from and goes; a string when it cannot be asked for (an encrypted file without its key). */
  private downloadTarget(item: BackupItem, staging: RestoreStaging, source: string, classKeys: ClassKeys | undefined): StagedDownload | string {
    const target: StagedDownload = {
      requestPath: `${source}/${item.hostFileID.slice(0, 2)}/${item.hostFileID}`,
      stagePath: staging.contentPath(item.fileID),
      maxBytes: item.size + SIZE_SLACK_BYTES,
    };
    if (!classKeys) return target;
    if (!item.encryptionKey) return item.size === 0 ? target : 'the encrypted backup has no EncryptionKey for it';
    try {
      target.fileKey = unwrapFileKey(item.encryptionKey, classKeys, { subject: `${item.domain}/${item.relativePath}` });
    } catch (err) {
      return (err as Error).message;
    }
    target.maxBytes = (Math.floor(item.size / AES_BLOCK) + 1) * AES_BLOCK + SIZE_SLACK_BYTES;
    return target;
  }

  /** The one-shot cable pull of the scenario fault disconnectDuringRestoreAfterFiles. */
  private async dropIfArmed(): Promise<void> {
    const fired = this.device.restored.firedFaults;
    if (fired.has('disconnectDuringRestoreAfterFiles')) return;
    fired.add('disconnectDuringRestoreAfterFiles');
    await this.session.connection.drained(0);
    this.log.warn('Connection to the host lost while downloading files (scenario fault: cable pulled)', { filesStaged: this.filesStaged });
    this.agentLog('Error', `DeviceLink connection to the host was interrupted after ${this.filesStaged} files: Error Domain=NSPOSIXErrorDomain Code=32 "Broken pipe"`);
    throw new SimulatedConnectionDrop(`scenario fault: connection dropped during the restore after ${this.filesStaged} files`);
  }

  /**
   * Supervision and MDM after the restore (the MDM vendor's document), with the backup's state read
   * from its own configuration-profile store as restored; a backup without one is taken as a
   * backup of an unmanaged device.
   */
  private managementAfter(properties: BackupProperties, plan: RestorePlan, staging: RestoreStaging): ReturnType<typeof managementAfterRestore> {
    const spec = this.device.spec;
    const sourceUdid = properties.sourceUdid ?? '';
    const sameDevice = sourceUdid.toUpperCase() === this.device.udid.toUpperCase();
    const storeFiles = plan.files
      .filter((f) => f.domain === CONFIGURATION_PROFILES_DOMAIN)
      .map((f) => ({ relativePath: f.relativePath, stagedPath: staging.contentPath(f.fileID) }));
    const fromBackup = managementFromProfileStore(storeFiles);
    if (fromBackup) this.log.info("The backup's management state", { evidence: fromBackup.evidence.join('; ') });
    else this.log.info("The backup has no configuration-profile store; taking it as a backup of an unmanaged device");
    const source: Management = fromBackup?.management ?? { supervised: false, mdm: 'none' };
    const outcome = managementAfterRestore({ supervised: spec.supervised, mdm: spec.mdm }, source, sameDevice);
    if (!outcome.supported) this.device.log.write('profiled', undefined, 'Warning', `Unsupported restore: ${outcome.note}`);
    return outcome;
  }

  /** What the device says about a restore it staged. */
  private logOutcome(staged: StagedRestore): void {
    const { record, request } = staged;
    this.agentLog('Notice', `Restore finished: ${record.summary.fileCount} files (${record.summary.byteCount} bytes) staged in /var/.backup.i`);
    if (staged.managementNote) this.device.log.write('mdmd', undefined, 'Notice', `After the restore: ${staged.managementNote}`);
    const apps = appsToReinstall(this.device.mediaFiles);
    if (apps !== undefined) this.agentLog('Notice', `${apps} apps will be downloaded again after the restart (RestoreApplications.plist)`);
    if (request.shouldReboot) this.agentLog('Notice', `Restarting in ${(this.device.spec.restart.afterRestoreDelayMs / 1000).toFixed(1)}s to move the restored files into place`);
    else this.agentLog('Notice', 'The host asked for no restart: the restored files move into place at the next restart');
  }

  /** Restarts the device right after the result (off usbmuxd at once, down a moment later), so the staged files move into place. */
  private scheduleRestart(): void {
    this.device.restartAfterRestore(this.device.spec.restart);
  }

  /** Sends the final ProcessMessage; a failure's device-side reason goes to the device log first. */
  private finish(failure: BackupRequestFailure | undefined): void {
    const content: PlistDict = { MessageName: 'Response', ErrorCode: failure ? failure.errorCode : 0 };
    if (failure) {
      content.ErrorDescription = mbErrorDescription(failure.description, failure.errorCode);
      if (failure instanceof RestoreFailure) for (const line of failure.reasonLines) this.device.log.write(line.process, undefined, line.level, line.message, line.image);
      this.agentLog('Error', `Restore failed: ${content.ErrorDescription}`);
      this.log.error('Restore failed', { description: content.ErrorDescription });
    } else {
      this.agentLog('Notice', 'Restore succeeded');
    }
    this.session.send(buildProcessMessage(content));
  }

  /** One BackupAgent2 line in the device log (what idevicesyslog shows). */
  private agentLog(level: DeviceLogLevel, message: string): void {
    this.device.log.write('BackupAgent2', undefined, level, message);
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
