import { getData, getDate, getDict, getString, type PlistDict } from '../../plist';
import { backupPlistFile } from './backupPlistFile';
import { getStringArray, plistRecord } from './plistDocument';

/** File name of the host-written device description in a backup folder. */
export const INFO_PLIST_FILE = 'Info.plist';

/** Info.plist: what the host wrote about the device when the backup started. Every field may be missing. */
export interface InfoPlist {
  deviceName?: string;
  displayName?: string;
  productType?: string;
  productVersion?: string;
  buildVersion?: string;
  serialNumber?: string;
  /** The UDID, upper-cased by the host. */
  uniqueIdentifier?: string;
  /** libimobiledevice writes 32 upper-case hex characters, pymobiledevice3 16 bytes; bytes read as upper-case hex. */
  guid?: string;
  /** The UDID as the host selected the device. */
  targetIdentifier?: string;
  /** "Device". */
  targetType?: string;
  lastBackupDate?: Date;
  iTunesVersion?: string;
  installedApplications?: string[];
  /** bundle id → { ApplicationSINF, iTunesMetadata, PlaceholderIcon }. */
  applications?: PlistDict;
  iccid?: string;
  imei?: string;
  meid?: string;
  phoneNumber?: string;
  iTunesSettings?: PlistDict;
  /** file name → data. */
  iTunesFiles?: PlistDict;
  iBooksData2?: Buffer;
  /** Keys found in the file that this type does not model, written back unchanged. */
  otherKeys?: PlistDict;
}

/**
 * Info.plist parsed from bytes (XML or binary; only a file that is not a plist dictionary is an error), read
 * from `<backupDir>/Info.plist`, and encoded (as XML, as hosts write it, unless another format is asked for).
 */
export const { parse: parseInfoPlist, read: readInfoPlist, encode: encodeInfoPlist } = backupPlistFile<InfoPlist>({
  fileName: INFO_PLIST_FILE,
  ...plistRecord<InfoPlist>({
    applications: ['Applications', getDict], buildVersion: ['Build Version', getString], deviceName: ['Device Name', getString],
    displayName: ['Display Name', getString],
    guid: ['GUID', (dict, key) => getString(dict, key) ?? getData(dict, key)?.toString('hex').toUpperCase()], iccid: ['ICCID', getString],
    imei: ['IMEI', getString], meid: ['MEID', getString], phoneNumber: ['Phone Number', getString],
    installedApplications: ['Installed Applications', getStringArray], lastBackupDate: ['Last Backup Date', getDate],
    productType: ['Product Type', getString], productVersion: ['Product Version', getString], serialNumber: ['Serial Number', getString],
    targetIdentifier: ['Target Identifier', getString], targetType: ['Target Type', getString], uniqueIdentifier: ['Unique Identifier', getString],
    iBooksData2: ['iBooks Data 2', getData], iTunesFiles: ['iTunes Files', getDict], iTunesSettings: ['iTunes Settings', getDict],
    iTunesVersion: ['iTunes Version', getString],
  }),
  usualFormat: 'xml',
});
