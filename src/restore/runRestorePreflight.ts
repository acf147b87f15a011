import { bundledRules } from '../compat/loadRules';
import type { CompatRules } from '../compat/rulesModel';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import { readBackupPreflightFacts } from './readBackupPreflightFacts';
import { readTargetPreflightFacts, type DeviceFactsReader } from './readTargetPreflightFacts';
import { backupChecksBlock, evaluateRestorePreflight, type RestorePreflightResult } from './restorePreflight';
import type { BackupPreflightFacts, CompatAnswers, RestorePreflightFacts } from './restorePreflightFacts';

/** What the restore checks look at and how strictly. */
export interface RestorePreflightRequest {
  mux: UsbmuxClient;
  /** The device to restore to. */
  udid: string;
  /** The backup folder (`<root>/<UDID>`, the one holding Info.plist). */
  backupDir: string;
  /** Password of an encrypted backup; checked against its keybag on this computer. */
  password?: string;
  /** An encrypted backup without a password fails (true before a restore) or stays unknown (preflight alone). */
  passwordRequired: boolean;
  /**
   * When the backup already fails its own checks, leave the device alone (true before a restore:
   * nothing is asked of a device for a restore that cannot happen) or read it anyway to show every check.
   */
  skipDeviceWhenBackupFails: boolean;
  /**
   * What the caller's own checks read from this backup folder moments ago (the VS Code command checks, asks
   * for confirmation, then restores): reused instead of walking the folder and deriving the password key
   * again, which takes seconds. The device is always read afresh.
   */
  checkedBackup?: BackupPreflightFacts;
  rules?: CompatRules;
  answers?: CompatAnswers;
  logger?: Logger;
  signal?: AbortSignal;
  /** Reads the device facts; readDeviceFacts unless a test swaps it. */
  readFacts?: DeviceFactsReader;
}

/**
 * The one I/O step of the restore checks: reads the backup folder (and checks the password) on this
 * computer first, then the target device read-only unless the backup already rules the restore out.
 */
export async function gatherRestorePreflightFacts(request: RestorePreflightRequest): Promise<RestorePreflightFacts> {
  const logger = (request.logger ?? silentLogger).child('restore-preflight');
  const reusable = request.checkedBackup?.backupDir === request.backupDir ? request.checkedBackup : undefined;
  const backup = reusable ?? (await readBackupPreflightFacts(request.backupDir, request.password, { signal: request.signal }));
  const stopHere = request.skipDeviceWhenBackupFails && backupChecksBlock(backup, { passwordRequired: request.passwordRequired });
  const facts: RestorePreflightFacts = { backup, rules: request.rules ?? bundledRules(), answers: request.answers ?? {} };
  if (stopHere) {
    logger.debug('backup checks failed; the device is not read', { udid: request.udid });
    return facts;
  }
  facts.target = await readTargetPreflightFacts(request.mux, request.udid, logger, request.readFacts);
  return facts;
}

/** Gathers the facts and runs every restore check on them. */
export async function runRestorePreflight(request: RestorePreflightRequest): Promise<RestorePreflightResult> {
  const facts = await gatherRestorePreflightFacts(request);
  return evaluateRestorePreflight(facts, { passwordRequired: request.passwordRequired });
}
