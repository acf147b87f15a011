import * as path from 'node:path';
import { throwIfCancelled, type CancellationTokenLike } from '../common/cancellation';
import type { CompatRules } from '../compat/rulesModel';
import { BackupError, CancelledError, isCancelledError, isProtocolError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { isPlistFormatError } from '../plist';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import { DeviceOperationClaim } from '../device/deviceOperationLock';
import { DevicePathMapper } from '../backup/transfer/devicePathMapper';
import { linkedCancellation } from '../common/linkedCancellation';
import { TransferServices } from '../backup/transfer/transferServices';
import { readInfoPlist, type InfoPlist } from '../backup/format/infoPlist';
import type { DeviceFactsReader } from './readTargetPreflightFacts';
import { encodeRestoreApplications, removeRestoreApplications, restoreApplicationEntries, writeRestoreApplications } from './restoreApplications';
import { restoreDisconnectedError, restoreErrorFromResult, restoreInterruptedError, restoreSilentError } from './restoreFailure';
import type { RestorePreflightResult } from './restorePreflight';
import { RestorePreflightError } from './restorePreflightError';
import type { BackupPreflightFacts, CompatAnswers } from './restorePreflightFacts';
import { RestoreProgressTracker, type RestoreProgress } from './restoreProgress';
import { RestoreRequestHandlers } from './restoreRequestHandlers';
import { runRestorePreflight } from './runRestorePreflight';

/** How long the device may stay silent during a restore: it works through large files between requests. */
const RESTORE_IDLE_TIMEOUT_MS = 10 * 60_000;

/** What to restore, where to, with which options, and how to report. */
export interface RestoreRunOptions {
  mux: UsbmuxClient;
  /** The device to restore to. */
  udid: string;
  /** The backup folder (`<root>/<UDID>`, the one holding Info.plist). */
  backupDir: string;
  /** Restart the device when the restore is done (default true; a second restore without a restart fails with 102). */
  reboot?: boolean;
  /** Restore system files too (default false). */
  restoreSystemFiles?: boolean;
  /** Keep the device's current settings instead of the backup's (default false). */
  preserveSettings?: boolean;
  /** Let the device copy the backup before restoring instead of moving it into place (default false). */
  copyFirst?: boolean;
  /** Remove items on the device the backup does not contain (default false). */
  removeItemsNotRestored?: boolean;
  /** Do not leave the app list for re-installation on the device (default false). */
  skipApps?: boolean;
  /** Password of an encrypted backup; checked on this computer before the device is touched. */
  password?: string;
  /** What the caller's own restore checks read from this backup folder (see RestorePreflightRequest.checkedBackup). */
  checkedBackup?: BackupPreflightFacts;
  /** Answers for facts neither the backup nor the device can tell (compatibility rules). */
  answers?: CompatAnswers;
  rules?: CompatRules;
  token?: CancellationTokenLike;
  logger?: Logger;
  /** Called once with every check's outcome, before anything is sent to the device. */
  onPreflight?: (result: RestorePreflightResult) => void;
  onProgress?: (progress: RestoreProgress) => void;
  /** Messages for the person at the device (for example: enter the passcode now), with what they are about. */
  onNotice?: (text: string, kind: RestoreNoticeKind) => void;
  /** How long the device may stay silent during the restore (default 10 minutes). */
  idleTimeoutMs?: number;
  /** Reads the device facts for the checks; readDeviceFacts unless a test swaps it. */
  readFacts?: DeviceFactsReader;
}

/** What a notice is about: the device shows its passcode prompt, or the app list could not be left on it. */
export type RestoreNoticeKind = 'passcode-prompt' | 'app-list-not-written';

/** What a successful restore did. */
export interface RestoreRunResult {
  udid: string;
  backupDir: string;
  /** The UDID the device was told the backup belongs to (SourceIdentifier). */
  sourceIdentifier: string;
  /** True when the backup was made on another device. */
  differentDevice: boolean;
  filesSent: number;
  bytesSent: number;
  durationMs: number;
  /** Whether the device was asked to restart when done. */
  reboot: boolean;
  /** Apps listed in /iTunesRestore/RestoreApplications.plist for the device to download again (0 when none or skipped). */
  appsToReinstall: number;
  /** Files the device asked for that the backup folder could not serve, with the reason. */
  unavailableFiles: string[];
  /** Device paths refused: outside the backup folder, through a symlink, or named in a request to change the folder. */
  refusedPaths: string[];
  preflight: RestorePreflightResult;
}

/**
 * Restores a backup folder to a device the way a real host does. First every restore check runs
 * (the backup and its password on this computer, then the device read-only); a failed check stops
 * here with a RestorePreflightError before anything is sent. Then: start notification_proxy, AFC and
 * mobilebackup2, take the sync lock, leave the app list for re-installation on the device, send
 * Restore (with SourceIdentifier = the backup's UDID, so a backup of another device works) and
 * answer every DeviceLink request from the backup folder until the device reports its result.
 * The backup folder is only read: the device's requests to change it are refused (RestoreRequestHandlers),
 * and no path it names may go through a symlink. Another backup, restore or encryption change of the same device
 * in this process is refused at once (DeviceBusyError).
 */
export async function runRestore(options: RestoreRunOptions): Promise<RestoreRunResult> {
  const { mux, udid, backupDir } = options;
  const claim = DeviceOperationClaim.take(udid, 'restore');
  const logger = (options.logger ?? silentLogger).child('restore').child(udid);
  const progress = new RestoreProgressTracker(options.onProgress);
  const cancellation = linkedCancellation(options.token);
  const abort = new AbortController();
  const abortSubscription = cancellation.token.onCancellationRequested(() => abort.abort());
  const settings = {
    reboot: options.reboot ?? true,
    restoreSystemFiles: options.restoreSystemFiles ?? false,
    preserveSettings: options.preserveSettings ?? false,
    copyFirst: options.copyFirst ?? false,
    removeItemsNotRestored: options.removeItemsNotRestored ?? false,
  };
  let cancelledOnDevice = false;
  let deviceTouched = false;
  let appListWritten = false;
  let services: TransferServices<undefined> | undefined;
  try {
    throwIfCancelled(cancellation.token, 'Restore');
    progress.setPhase('checking');
    const preflight = await runRestorePreflight({
      mux,
      udid,
      backupDir,
      password: options.password,
      checkedBackup: options.checkedBackup,
      passwordRequired: true,
      skipDeviceWhenBackupFails: true,
      rules: options.rules,
      answers: options.answers,
      logger,
      signal: abort.signal,
      readFacts: options.readFacts,
    });
    options.onPreflight?.(preflight);
    if (preflight.blocked) throw new RestorePreflightError(preflight);
    throwIfCancelled(cancellation.token, 'Restore');

    const info = await readInfoPlist(backupDir).catch((): InfoPlist => ({}));
    const targetUdid = preflight.target?.device.udid ?? udid;
    const sourceIdentifier = sourceIdentifierFor(preflight.backup.udid ?? path.basename(backupDir), targetUdid);
    const differentDevice = sourceIdentifier !== targetUdid;

    progress.setPhase('preparing');
    services = await TransferServices.start({
      mux,
      udid,
      logger,
      idleTimeoutMs: options.idleTimeoutMs ?? RESTORE_IDLE_TIMEOUT_MS,
      token: cancellation.token,
      onCancelRequest: () => {
        cancelledOnDevice = true;
        cancellation.cancel();
      },
      onPasscodePrompt: () => options.onNotice?.('Enter the passcode on the device to let the restore start.', 'passcode-prompt'),
      readFromSession: async () => undefined,
    });

    const apps = options.skipApps ? {} : restoreApplicationEntries(info.applications);
    let appsToReinstall = 0;
    if (Object.keys(apps).length > 0) {
      try {
        await writeRestoreApplications(services.afc, encodeRestoreApplications(apps));
        appListWritten = true;
        appsToReinstall = Object.keys(apps).length;
      } catch (err) {
        // The restore itself does not need the list; without it the apps are simply not downloaded again.
        options.onNotice?.(`The app list for re-installation could not be written to the device (${(err as Error).message}); the apps will have to be installed again by hand.`, 'app-list-not-written');
        logger.warn('RestoreApplications.plist not written', { reason: (err as Error).message });
      }
    }
    throwIfCancelled(cancellation.token, 'Restore');

    progress.setPhase('waiting-for-device');
    deviceTouched = true;
    services.mobilebackup2.requestRestore({ targetIdentifier: targetUdid, sourceIdentifier, ...settings, password: options.password });
    const handlers = new RestoreRequestHandlers(new DevicePathMapper(path.dirname(backupDir), sourceIdentifier, backupDir), progress, logger);
    const onProgress = (percent: number): void => progress.setPercent(percent);
    const deviceResult = await handlers.serve(services.mobilebackup2.link, { token: cancellation.token, operation: 'Restore', onProgress }, restoreDisconnectedError);
    if (deviceResult.errorCode !== 0) throw restoreErrorFromResult(deviceResult);
    progress.setPhase('finishing');
    services.mobilebackup2.close();

    const counters = progress.snapshot();
    logger.info('restore finished', { files: counters.filesSent, bytes: counters.bytesSent, reboot: settings.reboot });
    return {
      udid: targetUdid,
      backupDir,
      sourceIdentifier,
      differentDevice,
      filesSent: counters.filesSent,
      bytesSent: counters.bytesSent,
      durationMs: counters.elapsedMs,
      reboot: settings.reboot,
      appsToReinstall,
      unavailableFiles: handlers.unavailableFiles,
      refusedPaths: handlers.refusedPaths,
      preflight,
    };
  } catch (err) {
    const failure = explainFailure(err, cancelledOnDevice, cancellation.token.isCancellationRequested, deviceTouched);
    // A failed restore must not leave instructions that make the device download apps for data it never got.
    if (appListWritten && services) await removeRestoreApplications(services.afc, logger);
    logger.debug('restore failed', { reason: failure instanceof Error ? failure.message : String(failure) });
    throw failure;
  } finally {
    await services?.close();
    abortSubscription.dispose();
    cancellation.dispose();
    claim.release();
  }
}

/**
 * The SourceIdentifier to send: the target's own UDID (exactly as the device reports it) when the
 * backup was made on it, else the backup's UDID.
 */
export function sourceIdentifierFor(backupUdid: string, targetUdid: string): string {
  return backupUdid.toLowerCase() === targetUdid.toLowerCase() ? targetUdid : backupUdid;
}

/** Turns what stopped the restore into the error the caller reports. */
function explainFailure(err: unknown, cancelledOnDevice: boolean, cancelled: boolean, deviceTouched: boolean): unknown {
  if (cancelledOnDevice) return new BackupError('The restore was cancelled on the device, so it may be only partly restored; run the same restore again before using it.', 'restore.cancelled-on-device', undefined, { cause: err });
  if (isCancelledError(err) || cancelled) {
    // Whether the device was already changed decides what the user must do next.
    return new CancelledError('Restore', deviceTouched
      ? 'Restore was cancelled after the device had started restoring, so it may be only partly restored; run the same restore again before using it.'
      : 'Restore was cancelled before anything was sent to the device.');
  }
  // A dropped link shows up as a read that ends early; a silent device as a read that times out.
  // Malformed messages keep their own sentence.
  if (deviceTouched && isProtocolError(err) && !isPlistFormatError(err)) {
    const message = (err as Error).message;
    if (/did not answer in time/.test(message)) return restoreSilentError(err);
    if (/closed the connection|connection to the .* failed|TLS session .* failed/.test(message)) return restoreInterruptedError(err);
  }
  return err;
}
