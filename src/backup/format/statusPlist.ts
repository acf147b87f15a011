import { getBoolean, getDate, getString, type PlistDict } from '../../plist';
import { backupPlistFile } from './backupPlistFile';
import { setDefined, unmodelledKeys, withoutUndefined, type PlistFormat } from './plistDocument';

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

const MODELLED_KEYS = ['IsFullBackup', 'Version', 'BackupState', 'Date', 'UUID', 'SnapshotState'] as const;

const statusPlistFile = backupPlistFile({ fileName: STATUS_PLIST_FILE, fromDict: statusFromDict, toDict: statusToDict, usualFormat: 'binary' });

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

function statusToDict(status: StatusPlist): PlistDict {
  const dict: PlistDict = { ...status.otherKeys };
  setDefined(dict, 'BackupState', status.backupState);
  setDefined(dict, 'Date', status.date);
  setDefined(dict, 'IsFullBackup', status.isFullBackup);
  setDefined(dict, 'SnapshotState', status.snapshotState);
  setDefined(dict, 'UUID', status.uuid);
  setDefined(dict, 'Version', status.version);
  return dict;
}

function statusFromDict(dict: PlistDict): StatusPlist {
  return withoutUndefined<StatusPlist>({
    isFullBackup: getBoolean(dict, 'IsFullBackup'),
    version: getString(dict, 'Version'),
    backupState: getString(dict, 'BackupState'),
    date: getDate(dict, 'Date'),
    uuid: getString(dict, 'UUID'),
    snapshotState: getString(dict, 'SnapshotState'),
    otherKeys: unmodelledKeys(dict, MODELLED_KEYS),
  });
}
