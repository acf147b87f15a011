import type { Logger } from '../../common/logger';

/** The restore-related fault switches of a scenario device (docs/simulator.md#restore-scenario-fields-and-faults). */
export interface RestoreFaults {
  /** Drop the connection once this many backup files were staged whole (0 = before the first); fires once per device. */
  disconnectDuringRestoreAfterFiles?: number;
  /** Act as if an earlier restore was never followed by a restart: the next restore ends with 102. */
  pendingRebootAfterRestore?: boolean;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads the restore faults out of a scenario's `faults` object. Other switches are left alone; a
 * restore switch of the wrong type is logged and ignored, so a typo never crashes a run.
 */
export function readRestoreFaults(faults: Record<string, unknown>, log: Logger): RestoreFaults {
  const out: RestoreFaults = {};
  const has = (key: string) => Object.hasOwn(faults, key) && faults[key] !== undefined && faults[key] !== null;
  if (has('disconnectDuringRestoreAfterFiles')) {
    if (isCount(faults.disconnectDuringRestoreAfterFiles)) out.disconnectDuringRestoreAfterFiles = faults.disconnectDuringRestoreAfterFiles;
    else log.warn('scenario fault disconnectDuringRestoreAfterFiles ignored: it must be a whole number ≥ 0');
  }
  if (has('pendingRebootAfterRestore')) {
    if (typeof faults.pendingRebootAfterRestore === 'boolean') out.pendingRebootAfterRestore = faults.pendingRebootAfterRestore;
    else log.warn('scenario fault pendingRebootAfterRestore ignored: it must be true or false');
  }
  return out;
}
