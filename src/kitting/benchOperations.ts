import { runBackup, type BackupRunOptions, type BackupRunResult } from '../backup/engine/backupEngine';
import type { DeviceFacts } from '../device/deviceFacts';
import { attachedUdids } from './attachedDevices';
import { readDeviceFacts } from '../device/readDeviceFacts';
import type { Logger } from '../common/logger';
import { pairDevice, type PairOptions } from '../lockdown/pairing';
import { readBackupPreflightFacts } from '../restore/readBackupPreflightFacts';
import { runRestore, type RestoreRunOptions, type RestoreRunResult } from '../restore/restoreEngine';
import type { BackupPreflightFacts } from '../restore/restorePreflightFacts';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';

/**
 * What the bench does to devices and backup folders, as one seam: the real engines by default. Unit tests of
 * the bench's scheduling replace them with scripted ones; integration tests keep the real ones (they may wrap
 * one to count its calls, never to fake it).
 */
export interface BenchOperations {
  readFacts(mux: UsbmuxClient, udid: string, logger: Logger): Promise<DeviceFacts>;
  pair(mux: UsbmuxClient, udid: string, options: PairOptions): Promise<unknown>;
  runBackup(options: BackupRunOptions): Promise<BackupRunResult>;
  runRestore(options: RestoreRunOptions): Promise<RestoreRunResult>;
  /** The backup side of the restore checks (reading the folder, deriving the password key): once per plan. */
  readBackupFacts(backupDir: string, password: string | undefined, options: { signal?: AbortSignal }): Promise<BackupPreflightFacts>;
  /** The UDIDs usbmuxd lists now (to see a restarting device leave and come back). */
  attachedUdids(mux: UsbmuxClient): Promise<string[]>;
}

/** The real engines. */
export const ENGINE_OPERATIONS: BenchOperations = {
  readFacts: readDeviceFacts,
  pair: pairDevice,
  runBackup,
  runRestore,
  readBackupFacts: readBackupPreflightFacts,
  attachedUdids,
};
