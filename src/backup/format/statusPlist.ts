import { getBoolean, getDate, getString, type PlistDict } from '../../plist';
import { backupPlistFile } from './backupPlistFile';
import { plistRecord } from './plistDocument';

/** File name of the device-written backup state in a backup folder. */
export const STATUS_PLIST_FILE = 'Status.plist';

/** The SnapshotState a completed backup carries; hosts test for this value only. */
export const SNAPSHOT_STATE_FINISHED = 'finished';

/** Status.plist: the state of the last backup run. Every field may be missing. */
export interface StatusPlist {
  isFullBackup?: boolean;
  /** "3.3" on current devices. */
  version?: string;
  /** "new" or "finished". */
  backupState?: string;
  date?: Date;
  /** Upper-case UUID. */
  uuid?: string;
  /** "finished" when the backup completed. */
  snapshotState?: string;
  /** Keys found in the file that this type does not model, written back unchanged. */
  otherKeys?: PlistDict;
}

/**
 * Status.plist parsed from bytes (XML or binary; only a file that is not a plist dictionary is an error), read
 * from `<backupDir>/Status.plist`, and encoded (binary, as devices write it, unless another format is asked for).
 */
export const { parse: parseStatusPlist, read: readStatusPlist, encode: encodeStatusPlist } = backupPlistFile<StatusPlist>({
  fileName: STATUS_PLIST_FILE,
  ...plistRecord<StatusPlist>({
    backupState: ['BackupState', getString], date: ['Date', getDate], isFullBackup: ['IsFullBackup', getBoolean],
    snapshotState: ['SnapshotState', getString], uuid: ['UUID', getString], version: ['Version', getString],
  }),
  usualFormat: 'binary',
});

/** True when Status.plist says the backup completed. */
export function isSnapshotFinished(status: StatusPlist): boolean {
  return status.snapshotState === SNAPSHOT_STATE_FINISHED;
}
