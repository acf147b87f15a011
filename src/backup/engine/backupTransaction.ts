import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CancellationTokenLike } from '../../common/cancellation';
import { BackupError } from '../../common/errors';
import { fileSystemErrorReason } from '../../common/fileSystemErrorText';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import { IN_PROGRESS_MARKER } from '../format/backupFolder';
import { backupLayout, DEVICE_SNAPSHOT_FOLDER, type BackupLayout } from './backupLayout';
import type { DeviceOperationClaim } from '../../device/deviceOperationLock';
import { hardLinkTree } from './hardLinkTree';

/** What the in-progress marker records (for people looking at the folder, and for recovery logs). */
interface InProgressRecord {
  startedAt: string;
  pid: number;
  state: 'running' | 'interrupted';
  reason?: string;
}

/**
 * The on-disk transaction of one backup. The backup is written into a staging folder that starts as
 * a hard-linked clone of the last complete backup (no file data copied; the device's incremental
 * logic sees the previous state). Only a successful backup replaces `<root>/<udid>/`, by two renames.
 * A failed, cancelled or disconnected backup leaves the previous backup untouched; its staging folder
 * keeps the in-progress marker, so listings show it as incomplete, and the next run discards it.
 *
 * Crash safety of the swap: the staging marker is removed first, then the old backup is renamed to
 * `<udid>.iosbr-previous`, then staging to `<udid>`. Recovery (at the next begin) finishes or undoes
 * whichever step was interrupted, and at every instant one complete backup is on disk.
 */
export class BackupTransaction {
  private settled = false;

  private constructor(
    readonly layout: BackupLayout,
    /** True when a backup folder existed before this run (complete or not). */
    readonly hadPreviousBackup: boolean,
    private readonly logger: Logger,
  ) {}

  /** The folder the device's files go to during this run. */
  get stagingDir(): string {
    return this.layout.stagingDir;
  }

  /**
   * Recovers from any interrupted earlier run, then prepares a fresh staging folder. The caller must
   * hold this process's claim on the device: without it a second run of this process would delete
   * the staging folder the first one is writing.
   */
  static async begin(root: string, udid: string, claim: DeviceOperationClaim, options: { token?: CancellationTokenLike; logger?: Logger } = {}): Promise<BackupTransaction> {
    if (!claim.holds(udid)) throw new Error(`A backup transaction for ${udid} was begun without holding the device.`);
    const logger = options.logger ?? silentLogger;
    const layout = backupLayout(root, udid);
    try {
      await fs.mkdir(root, { recursive: true });
    } catch (cause) {
      throw new BackupError(`Cannot create the backup folder ${root} because ${fileSystemErrorReason(cause)}.`, 'backup.root-unwritable', undefined, { cause });
    }
    await refuseIfAnotherProcessIsWriting(layout, logger);
    await recoverInterruptedSwap(layout, logger);
    if (existsSync(layout.stagingDir)) {
      // A staging folder left by a failed run is never resumed: the device decides what to send from
      // the previous complete backup, which is cloned again below.
      logger.info('discarding the staging folder of an interrupted backup', { dir: layout.stagingDir });
      await fs.rm(layout.stagingDir, { recursive: true, force: true });
    }
    await fs.mkdir(layout.stagingDir);
    const transaction = new BackupTransaction(layout, await isFolder(layout.finalDir), logger);
    await transaction.writeMarker({ startedAt: new Date().toISOString(), pid: process.pid, state: 'running' });
    if (transaction.hadPreviousBackup) {
      try {
        const cloned = await hardLinkTree(layout.finalDir, layout.stagingDir, {
          // A stale device Snapshot folder can break the next incremental backup (lid#1544).
          skipTopLevel: [IN_PROGRESS_MARKER, DEVICE_SNAPSHOT_FOLDER],
          token: options.token,
        });
        logger.debug('staging prepared', { files: cloned.files, copied: cloned.copied, directories: cloned.directories });
      } catch (err) {
        await transaction.discard();
        throw err;
      }
    }
    return transaction;
  }

  /** Replaces the previous backup with the staging folder (call only after the device reported success). */
  async commit(): Promise<void> {
    if (this.settled) return;
    const { stagingDir, finalDir, previousDir } = this.layout;
    await fs.rm(path.join(stagingDir, IN_PROGRESS_MARKER), { force: true });
    const hadFinal = await isFolder(finalDir);
    if (hadFinal) await fs.rename(finalDir, previousDir);
    try {
      await fs.rename(stagingDir, finalDir);
    } catch (err) {
      if (hadFinal) await fs.rename(previousDir, finalDir).catch(() => undefined);
      throw new BackupError(`Cannot move the finished backup into ${finalDir} because ${fileSystemErrorReason(err)}; the previous backup is unchanged.`, 'backup.commit-failed', undefined, { cause: err });
    }
    this.settled = true;
    if (hadFinal) await fs.rm(previousDir, { recursive: true, force: true });
    this.logger.debug('backup committed', { dir: finalDir });
  }

  /** Leaves the staging folder marked as interrupted (the device wrote into it), keeping the previous backup. */
  async abandon(reason: string): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await this.writeMarker({ startedAt: new Date().toISOString(), pid: process.pid, state: 'interrupted', reason }).catch(() => undefined);
  }

  /** Removes the staging folder (nothing reached the device yet, so there is nothing worth showing). */
  async discard(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    await fs.rm(this.layout.stagingDir, { recursive: true, force: true }).catch(() => undefined);
  }

  private async writeMarker(record: InProgressRecord): Promise<void> {
    const marker = path.join(this.layout.stagingDir, IN_PROGRESS_MARKER);
    await fs.rm(marker, { force: true });
    await fs.writeFile(marker, JSON.stringify(record, null, 2) + '\n', { flag: 'wx' });
  }
}

/**
 * Completes or undoes a swap that a crash interrupted. `<udid>.iosbr-previous` only exists during
 * the swap: with `<udid>` present the swap finished and only the cleanup is left; without it, the
 * staging folder is promoted when it was already marked finished, else the previous backup goes back.
 */
async function recoverInterruptedSwap(layout: BackupLayout, logger: Logger): Promise<void> {
  if (!(await isFolder(layout.previousDir))) return;
  if (await isFolder(layout.finalDir)) {
    await fs.rm(layout.previousDir, { recursive: true, force: true });
    return;
  }
  const stagingFinished = (await isFolder(layout.stagingDir)) && !existsSync(path.join(layout.stagingDir, IN_PROGRESS_MARKER));
  if (stagingFinished) {
    logger.info('completing an interrupted backup swap', { dir: layout.finalDir });
    await fs.rename(layout.stagingDir, layout.finalDir);
    await fs.rm(layout.previousDir, { recursive: true, force: true });
  } else {
    logger.info('restoring the previous backup after an interrupted swap', { dir: layout.finalDir });
    await fs.rename(layout.previousDir, layout.finalDir);
  }
}

/**
 * Two runs for one device would delete each other's staging folder. Within this process the device
 * claim (checked by begin) already keeps a second run out; across processes the marker does: a
 * running marker of another live process stops this run. A marker that says "running" but whose
 * writer is gone is stale and taken over: its process died, or it carries our own PID, which under
 * our claim can only be a dead process whose PID we now have (containers number processes alike)
 * or an earlier run of ours that could not mark itself interrupted.
 */
async function refuseIfAnotherProcessIsWriting(layout: BackupLayout, logger: Logger): Promise<void> {
  let record: Partial<InProgressRecord>;
  try {
    record = JSON.parse(await fs.readFile(path.join(layout.stagingDir, IN_PROGRESS_MARKER), 'utf8')) as Partial<InProgressRecord>;
  } catch {
    return;
  }
  if (record.state !== 'running' || typeof record.pid !== 'number') return;
  if (record.pid !== process.pid && isProcessAlive(record.pid)) {
    throw new BackupError(
      `Another backup of ${layout.udid} is running (process ${record.pid}); wait for it to finish or stop it first.`,
      'backup.already-running',
    );
  }
  logger.info('taking over the staging folder of a backup that is no longer running', { pid: record.pid });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.lstat(dir)).isDirectory();
  } catch {
    return false;
  }
}
