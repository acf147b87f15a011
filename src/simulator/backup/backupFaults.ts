import type { Logger } from '../../common/logger';

/** The backup-related fault switches of a scenario device (docs/simulator.md#backup-faults). */
export interface BackupFaults {
  /** Drop the connection once this many dataset files have been uploaded. */
  disconnectAfterFiles?: number;
  /** Drop the connection once this many content bytes have been uploaded (possibly mid-file). */
  disconnectAfterBytes?: number;
  /** Act as a malicious device: also upload files whose names climb out of the backup folder. */
  uploadOutsidePath?: boolean;
  /** End the Backup request at once with this ErrorCode and description. */
  refuseBackup?: { code: number; description: string };
  /** Treat the host's reported free space as too little, ask it to purge, then fail with 105. */
  lowHostDiskQuery?: boolean;
  /** Never ask the host for its free space, so a full host disk shows up as failed writes (as when it fills during the backup). */
  skipHostFreeSpaceCheck?: boolean;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads the backup faults out of a scenario's `faults` object. Other issues' switches are left
 * alone; a backup switch of the wrong type is logged and ignored, so a typo never crashes a run.
 */
export function readBackupFaults(faults: Record<string, unknown>, log: Logger): BackupFaults {
  const out: BackupFaults = {};
  const ignore = (fault: string, expected: string) => log.warn('scenario fault ignored', { fault, expected });
  const has = (key: string) => Object.hasOwn(faults, key) && faults[key] !== undefined && faults[key] !== null;
  if (has('disconnectAfterFiles')) {
    if (isCount(faults.disconnectAfterFiles)) out.disconnectAfterFiles = faults.disconnectAfterFiles;
    else ignore('disconnectAfterFiles', 'a whole number ≥ 0');
  }
  if (has('disconnectAfterBytes')) {
    if (isCount(faults.disconnectAfterBytes)) out.disconnectAfterBytes = faults.disconnectAfterBytes;
    else ignore('disconnectAfterBytes', 'a whole number ≥ 0');
  }
  if (has('uploadOutsidePath')) {
    if (typeof faults.uploadOutsidePath === 'boolean') out.uploadOutsidePath = faults.uploadOutsidePath;
    else ignore('uploadOutsidePath', 'true or false');
  }
  if (has('lowHostDiskQuery')) {
    if (typeof faults.lowHostDiskQuery === 'boolean') out.lowHostDiskQuery = faults.lowHostDiskQuery;
    else ignore('lowHostDiskQuery', 'true or false');
  }
  if (has('skipHostFreeSpaceCheck')) {
    if (typeof faults.skipHostFreeSpaceCheck === 'boolean') out.skipHostFreeSpaceCheck = faults.skipHostFreeSpaceCheck;
    else ignore('skipHostFreeSpaceCheck', 'true or false');
  }
  if (has('refuseBackup')) {
    const refuse = faults.refuseBackup;
    const code = typeof refuse === 'object' && refuse !== null ? (refuse as Record<string, unknown>).code : undefined;
    const description = typeof refuse === 'object' && refuse !== null ? (refuse as Record<string, unknown>).description : undefined;
    if (typeof code === 'number' && Number.isSafeInteger(code) && code > 0 && code < 2 ** 31 && (description === undefined || typeof description === 'string')) {
      out.refuseBackup = { code, description: (description ?? 'The backup was refused by the device').slice(0, 1024) };
    } else {
      ignore('refuseBackup', 'an object {code: positive integer, description?: string}');
    }
  }
  return out;
}
