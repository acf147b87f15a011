import { getBoolean, getDate, getString, type PlistDict } from '../../plist';
import { backupPlistFile } from './backupPlistFile';
import { plistRecord, type PlistFormat } from './plistDocument';

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

const statusPlistFile = backupPlistFile({
  fileName: STATUS_PLIST_FILE,
  ...plistRecord<StatusPlist>({
    backupState: ['BackupState', getString],
    date: ['Date', getDate],
    isFullBackup: ['IsFullBackup', getBoolean],
    snapshotState: ['SnapshotState', getString],
    uuid: ['UUID', getString],
    version: ['Version', getString],
  }),
  usualFormat: 'binary',
});

/** Parses Status.plist bytes (XML or binary); only a file that is not a plist dictionary is an error. */
export const parseStatusPlist = (bytes: Buffer): StatusPlist => statusPlistFile.parse(bytes);

/** Reads `<backupDir>/Status.plist`. */
export const readStatusPlist = (backupDir: string): Promise<StatusPlist> => statusPlistFile.read(backupDir);

/** Encodes Status.plist; devices write it as a binary plist, which is the default. */
export const encodeStatusPlist = (status: StatusPlist, format?: PlistFormat): Buffer => statusPlistFile.encode(status, format);

/** True when Status.plist says the backup completed. */
export function isSnapshotFinished(status: StatusPlist): boolean {
  return status.snapshotState === SNAPSHOT_STATE_FINISHED;
}
