import * as path from 'node:path';
import { throwIfCancelled, type CancellationTokenLike } from '../../common/cancellation';
import type { DeviceFacts } from '../../device/deviceFacts';
import { readDeviceFacts } from '../../device/readDeviceFacts';
import { BackupError, CancelledError, PairingError, isCancelledError, isProtocolError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import { isPlistFormatError } from '../../plist';
import type { UsbmuxClient } from '../../usbmux/usbmuxClient';
import { encodeInfoPlist, INFO_PLIST_FILE } from '../format/infoPlist';
import { isSnapshotFinished, readStatusPlist } from '../format/statusPlist';
import { backupDisconnectedError, backupErrorFromResult, backupHostDiskFullError } from './backupFailure';
import { BackupProgressTracker, type BackupProgress } from './backupProgress';
import { BackupRequestHandlers } from './backupRequestHandlers';
import { BackupTransaction } from './backupTransaction';
import { withDeviceClaim, type DeviceOperationClaim } from '../../device/deviceOperationLock';
import { DevicePathMapper } from '../transfer/devicePathMapper';
import { writeFreshFile } from './freshFile';
import { buildBackupInfoPlist, gatherInfoPlistSources, type InfoPlistSources } from './infoPlistBuilder';
import { linkedCancellation } from '../../common/linkedCancellation';
import { fileSystemErrorCode } from '../../common/fileSystemErrorText';
import { TransferServices } from '../transfer/transferServices';

/** What to back up, where, and how to report. */
export interface BackupRunOptions {
  mux: UsbmuxClient;
  udid: string;
  /** The backup root; the backup lands in `<root>/<udid>/`. */
  root: string;
  /** Ask the device for a full backup instead of an incremental one. */
  full?: boolean;
  token?: CancellationTokenLike;
  logger?: Logger;
  onProgress?: (progress: BackupProgress) => void;
  /** Messages for the person at the device (for example: enter the passcode now). */
  onNotice?: (text: string) => void;
  /** How long the device may stay silent during the backup (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Reads the device facts (paired, name, iOS version); readDeviceFacts unless a test swaps it. */
  readFacts?: (mux: UsbmuxClient, udid: string, logger: Logger) => Promise<DeviceFacts>;
}

/** What a successful backup did. */
export interface BackupRunResult {
  udid: string;
  backupDir: string;
  deviceName?: string;
  iosVersion?: string;
  /** Files the device sent in this run (unchanged files of an incremental backup are not sent). */
  filesTransferred: number;
  bytesTransferred: number;
  durationMs: number;
  /** Status.plist IsFullBackup, as the device recorded it. */
  fullBackup?: boolean;
  /** Files the device reported it could not send (the device decides whether that fails the backup). */
  uploadWarnings: string[];
}

/**
 * Backs up one device into `<root>/<udid>/` the way a real host does: read the device facts,
 * prepare the staging transaction, start notification_proxy, AFC and mobilebackup2, take the sync
 * lock, write Info.plist, send Backup and answer every DeviceLink request until the final result,
 * then check Status.plist and swap the staging folder into place (the folder holds only what the
 * device sent, so it reads like any host's backup: its facts come from its own files). Any
 * failure, cancellation or disconnect leaves the previous backup as it was. Another backup,
 * restore or encryption change of the same device in this process is refused at once (DeviceBusyError).
 */
export async function runBackup(options: BackupRunOptions): Promise<BackupRunResult> {
  return withDeviceClaim(options.udid, 'backup', (claim) => runClaimedBackup(options, claim));
}

/** runBackup's work, while this process holds the device. */
async function runClaimedBackup(options: BackupRunOptions, claim: DeviceOperationClaim): Promise<BackupRunResult> {
  const { mux, udid, root } = options;
  const logger = (options.logger ?? silentLogger).child('backup').child(udid);
  const progress = new BackupProgressTracker(options.onProgress);
  let cancelledOnDevice = false;
  throwIfCancelled(options.token, 'Backup');

  const facts = await (options.readFacts ?? readDeviceFacts)(mux, udid, logger);
  // Without a pairing nothing below can work; say so before any folder is touched.
  if (!facts.paired) throw new PairingError(facts.limitation ?? `This computer is not paired with ${udid}.`, 'not-paired', udid);
  const transaction = await BackupTransaction.begin(root, udid, claim, { token: options.token, logger }).catch((err: unknown) => {
    throw fileSystemErrorCode(err) === 'ENOSPC' ? backupHostDiskFullError(root, err) : err;
  });
  // Linked only now, right before the try whose finally disposes it, so a failure above leaves no listener on the caller's token.
  const cancellation = linkedCancellation(options.token);
  let handlers: BackupRequestHandlers | undefined;
  let services: TransferServices<InfoPlistSources> | undefined;
  try {
    services = await TransferServices.start({
      mux,
      udid,
      logger,
      idleTimeoutMs: options.idleTimeoutMs,
      token: cancellation.token,
      onCancelRequest: () => {
        cancelledOnDevice = true;
        cancellation.cancel();
      },
      onPasscodePrompt: () => options.onNotice?.('Enter the passcode on the device to let the backup start.'),
      // Hosts read the Info.plist values in the same session that starts the services.
      readFromSession: (session) => gatherInfoPlistSources(session.lockdown, session, logger),
    });

    const startedAt = new Date();
    await writeFreshFile(path.join(transaction.stagingDir, INFO_PLIST_FILE), encodeInfoPlist(buildBackupInfoPlist(udid, services.sessionValues, startedAt)));
    throwIfCancelled(cancellation.token, 'Backup');

    progress.setPhase('waiting-for-device');
    services.mobilebackup2.requestBackup({ targetIdentifier: udid, sourceIdentifier: udid, forceFullBackup: options.full });
    handlers = new BackupRequestHandlers(new DevicePathMapper(root, udid, transaction.stagingDir), progress, logger);
    const onProgress = (percent: number): void => progress.setPercent(percent);
    const deviceResult = await handlers.serve(services.mobilebackup2.link, { token: cancellation.token, operation: 'Backup', onProgress }, backupDisconnectedError);
    // A full disk here makes the device fail its uploads; the device's code alone would blame the device.
    if (deviceResult.errorCode !== 0) throw handlers.answeredNoSpace ? backupHostDiskFullError(root) : backupErrorFromResult(deviceResult);
    progress.setPhase('finishing');
    const fullBackup = await requireFinishedSnapshot(transaction.stagingDir);
    // The device is done with the folder; say goodbye before the folder moves.
    services.mobilebackup2.close();
    await transaction.commit();

    const counters = progress.snapshot();
    const result: BackupRunResult = {
      udid,
      backupDir: transaction.layout.finalDir,
      filesTransferred: counters.filesReceived,
      bytesTransferred: counters.bytesReceived,
      durationMs: counters.elapsedMs,
      uploadWarnings: handlers.uploadWarnings,
    };
    if (facts.name !== undefined) result.deviceName = facts.name;
    if (facts.iosVersion !== undefined) result.iosVersion = facts.iosVersion;
    if (fullBackup !== undefined) result.fullBackup = fullBackup;
    logger.info('backup finished', { files: result.filesTransferred, bytes: result.bytesTransferred });
    return result;
  } catch (err) {
    const failure = explainFailure(err, cancelledOnDevice, options.token, transaction.hadPreviousBackup, root);
    // Until the device changes something, the staging folder holds only links: nothing worth listing as incomplete.
    if (handlers?.deviceWrote) await transaction.abandon(failure instanceof Error ? failure.message : String(failure));
    else await transaction.discard();
    logger.debug('backup failed', { reason: failure instanceof Error ? failure.message : String(failure) });
    throw failure;
  } finally {
    await services?.close();
    cancellation.dispose();
  }
}

/** Success needs the device's Status.plist to say "finished"; returns its IsFullBackup. */
async function requireFinishedSnapshot(stagingDir: string): Promise<boolean | undefined> {
  let status;
  try {
    status = await readStatusPlist(stagingDir);
  } catch (cause) {
    throw new BackupError(
      `The device reported success but its Status.plist cannot be read (${(cause as Error).message}); the previous backup is kept.`,
      'backup.unfinished',
      undefined,
      { cause },
    );
  }
  if (!isSnapshotFinished(status)) {
    throw new BackupError(
      `The device reported success but did not mark the backup finished (SnapshotState is ${status.snapshotState === undefined ? 'missing' : `"${status.snapshotState}"`}); the previous backup is kept.`,
      'backup.unfinished',
    );
  }
  return status.isFullBackup;
}

/** Turns what stopped the backup into the error the caller reports. */
function explainFailure(err: unknown, cancelledOnDevice: boolean, token: CancellationTokenLike | undefined, hadPreviousBackup: boolean, root: string): unknown {
  if (cancelledOnDevice) return new BackupError('The backup was cancelled on the device.', 'backup.cancelled-on-device', undefined, { cause: err });
  if (isCancelledError(err) || token?.isCancellationRequested) {
    return new CancelledError('Backup', hadPreviousBackup ? 'Backup was cancelled; the previous backup is intact.' : 'Backup was cancelled; there was no earlier backup of this device to keep.');
  }
  // This computer's own writes (Info.plist, the staging folder) hit a full disk.
  if (fileSystemErrorCode(err) === 'ENOSPC') return backupHostDiskFullError(root, err);
  // A dropped link shows up as a read that ends early; a silent device as a read that times out.
  // Malformed messages keep their own sentence.
  if (isProtocolError(err) && !isPlistFormatError(err)) {
    const message = (err as Error).message;
    if (/did not answer in time/.test(message)) {
      return new BackupError('The device stopped responding during the backup; make sure it is unlocked and connected, then try again.', 'backup.device-silent', undefined, { cause: err });
    }
    if (/closed the connection|connection to the .* failed|TLS session .* failed/.test(message)) {
      return new BackupError('The device disconnected during the backup; check the cable and try again.', 'backup.device-disconnected', undefined, { cause: err });
    }
  }
  return err;
}
