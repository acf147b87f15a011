import { BackupRequestFailure, DEVICE_RESTARTING_DESCRIPTION } from '../backup/mobileBackupErrors';
import type { DeviceLogLine } from '../deviceLogFailureReasons';

/** MBErrorDomain codes a simulated restore ends with (docs/failure-sources.md#mberrordomain-codes, docs/protocol/mobilebackup2.md#error-codes). */
export const RESTORE_ERROR = {
  Generic: 1,
  /** The staging folder of an earlier restore is still there: the device was not restarted. */
  PendingRestore: 102,
  InsufficientSpace: 105,
  /** The device could not take the backup: files the host could not serve, or properties it refuses. */
  BackupUnusable: 205,
  InvalidPassword: 207,
  DeviceLocked: 208,
  FindMyEnabled: 211,
} as const;

/**
 * A restore ends with this ErrorCode and description; `reasonLines` are what the device's daemons
 * log before it (the device-side reason a support engineer finds with idevicesyslog).
 */
export class RestoreFailure extends BackupRequestFailure {
  constructor(
    errorCode: number,
    description: string,
    readonly reasonLines: readonly DeviceLogLine[],
    path?: string,
  ) {
    super(errorCode, description, path);
    this.name = 'RestoreFailure';
  }
}

const agent = (level: DeviceLogLine['level'], message: string): DeviceLogLine => ({ process: 'BackupAgent2', level, message });

/** Where a restore is staged on a real device; its leftovers cause 102. */
const STAGING_PATH = '/var/.backup.i';

/** A second request while BackupAgent2 is busy with a backup or restore. */
export function busyFailure(): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.Generic, 'A backup or restore is already in progress', [agent('Error', 'Refusing restore: another backup or restore is in progress')]);
}

/** A restore already finished and the device is about to restart to apply it: nothing new starts before that. */
export function restartingFailure(): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.Generic, DEVICE_RESTARTING_DESCRIPTION, [agent('Error', 'Refusing restore: the device is restarting to finish a restore')]);
}

/** SourceIdentifier is not a folder name the device will put in a request. */
export function badSourceFailure(): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.Generic, 'Invalid SourceIdentifier', [agent('Error', 'Refusing restore: the SourceIdentifier is not a backup folder name')]);
}

/** Find My is on (lockdown com.apple.fmip IsAssociated). */
export function findMyFailure(): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.FindMyEnabled, 'Find My iPhone must be disabled before restoring', [
    { process: 'findmydeviced', level: 'Notice', message: 'Find My iPhone is enabled for this device (fmip IsAssociated=1)' },
    agent('Error', 'Restore refused: Find My iPhone must be disabled before restoring'),
  ]);
}

/** Nobody entered the passcode at the prompt in time. */
export function passcodeTimeoutFailure(waitedMs: number): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.DeviceLocked, 'Device locked', [
    agent('Error', `Timed out after ${(waitedMs / 1000).toFixed(1)}s waiting for the passcode to be entered on the device`),
  ]);
}

/** The host could not serve some requested files (missing, unreadable, too large, cut short). */
export function downloadFailure(failures: ReadonlyMap<string, string>): RestoreFailure {
  const lines = [...failures].slice(0, 20).map(([path, reason]) => agent('Error', `Failed to download ${path}: ${reason}`));
  if (failures.size > 20) lines.push(agent('Error', `… and ${failures.size - 20} more files failed to download`));
  return new RestoreFailure(RESTORE_ERROR.BackupUnusable, 'Multiple errors downloading files', lines, failures.keys().next().value);
}

/** A metadata file of the backup is empty, unreadable or refused. */
export function unreadablePropertiesFailure(file: string, why: string): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.BackupUnusable, 'Error reading backup properties', [agent('Error', `Error reading ${file}: ${why}`)], file);
}

/** Manifest.db names an item the device refuses (hand-made or damaged backups). */
export function malformedEntryFailure(description: string, detail: string): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.BackupUnusable, description, [agent('Error', `Refusing backup entry ${detail}: ${description}`)]);
}

/** The backup comes from a newer iOS than the device runs. */
export function tooOldFailure(deviceClass: string, backupVersion: string, deviceVersion: string): RestoreFailure {
  const device = deviceClass || 'device';
  return new RestoreFailure(
    RESTORE_ERROR.BackupUnusable,
    `The backup cannot be restored to this ${device} because the software on the ${device} is too old (backup iOS ${backupVersion}, ${device} iOS ${deviceVersion})`,
    [agent('Error', `Backup was made with iOS ${backupVersion}; this ${device} runs iOS ${deviceVersion} and cannot migrate data from a newer version`)],
  );
}

/** The backup is encrypted and the password is missing or does not unlock its keybag. */
export function invalidPasswordFailure(given: boolean): RestoreFailure {
  return new RestoreFailure(
    RESTORE_ERROR.InvalidPassword,
    'Invalid password when restoring encrypted backup (MBErrorDomain/207). Underlying error: MKBKeyBagUnlock error (-3)',
    [
      agent('Notice', given ? 'Unlocking the backup keybag with the password the host sent' : 'The backup is encrypted and the host sent no password'),
      agent('Error', 'MKBKeyBagUnlock error (-3)'),
    ],
  );
}

/** The files to restore do not fit on the data partition. */
export function insufficientSpaceFailure(free: number, need: number): RestoreFailure {
  return new RestoreFailure(RESTORE_ERROR.InsufficientSpace, `Insufficient free disk space on device to restore (${free} < ${need})`, [
    agent('Warning', `Not enough free space to restore: ${free} bytes available, ${need} bytes needed`),
  ]);
}

/** The staging folder of an earlier restore is still in place because the device was not restarted (lid#787). */
export function pendingRestoreFailure(): RestoreFailure {
  return new RestoreFailure(
    RESTORE_ERROR.PendingRestore,
    `Failed to move the incomplete restore directory into place at path "${STAGING_PATH}" (MBErrorDomain/102). ` +
      `Underlying error: “.backup.i” couldn’t be moved to “var” because an item with the same name already exists. at path "${STAGING_PATH}" (NSCocoaErrorDomain/516). ` +
      'Underlying error: The operation couldn’t be completed. File exists (NSPOSIXErrorDomain/17).',
    [agent('Error', `${STAGING_PATH} from an earlier restore is still in place: the device has not been restarted since`)],
  );
}
