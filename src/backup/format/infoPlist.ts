import { getData, getDate, getDict, getString, type PlistDict } from '../../plist';
import { backupPlistFile } from './backupPlistFile';
import { getStringArray, setDefined, unmodelledKeys, withoutUndefined, type PlistFormat } from './plistDocument';

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

const MODELLED_KEYS = [
  'Device Name',
  'Display Name',
  'Product Type',
  'Product Version',
  'Build Version',
  'Serial Number',
  'Unique Identifier',
  'GUID',
  'Target Identifier',
  'Target Type',
  'Last Backup Date',
  'iTunes Version',
  'Installed Applications',
  'Applications',
  'ICCID',
  'IMEI',
  'MEID',
  'Phone Number',
  'iTunes Settings',
  'iTunes Files',
  'iBooks Data 2',
] as const;

const infoPlistFile = backupPlistFile({ fileName: INFO_PLIST_FILE, fromDict: infoFromDict, toDict: infoToDict, usualFormat: 'xml' });

/** Parses Info.plist bytes (XML or binary); only a file that is not a plist dictionary is an error. */
export const parseInfoPlist = (bytes: Buffer): InfoPlist => infoPlistFile.parse(bytes);

/** Reads `<backupDir>/Info.plist`. */
export const readInfoPlist = (backupDir: string): Promise<InfoPlist> => infoPlistFile.read(backupDir);

/** Encodes Info.plist; hosts write it as XML, which is the default. */
export const encodeInfoPlist = (info: InfoPlist, format?: PlistFormat): Buffer => infoPlistFile.encode(info, format);

function infoToDict(info: InfoPlist): PlistDict {
  const dict: PlistDict = { ...info.otherKeys };
  setDefined(dict, 'Applications', info.applications);
  setDefined(dict, 'Build Version', info.buildVersion);
  setDefined(dict, 'Device Name', info.deviceName);
  setDefined(dict, 'Display Name', info.displayName);
  setDefined(dict, 'GUID', info.guid);
  setDefined(dict, 'ICCID', info.iccid);
  setDefined(dict, 'IMEI', info.imei);
  setDefined(dict, 'MEID', info.meid);
  setDefined(dict, 'Phone Number', info.phoneNumber);
  setDefined(dict, 'Installed Applications', info.installedApplications);
  setDefined(dict, 'Last Backup Date', info.lastBackupDate);
  setDefined(dict, 'Product Type', info.productType);
  setDefined(dict, 'Product Version', info.productVersion);
  setDefined(dict, 'Serial Number', info.serialNumber);
  setDefined(dict, 'Target Identifier', info.targetIdentifier);
  setDefined(dict, 'Target Type', info.targetType);
  setDefined(dict, 'Unique Identifier', info.uniqueIdentifier);
  setDefined(dict, 'iBooks Data 2', info.iBooksData2);
  setDefined(dict, 'iTunes Files', info.iTunesFiles);
  setDefined(dict, 'iTunes Settings', info.iTunesSettings);
  setDefined(dict, 'iTunes Version', info.iTunesVersion);
  return dict;
}

function infoFromDict(dict: PlistDict): InfoPlist {
  const guidData = getData(dict, 'GUID');
  const info: InfoPlist = {
    deviceName: getString(dict, 'Device Name'),
    displayName: getString(dict, 'Display Name'),
    productType: getString(dict, 'Product Type'),
    productVersion: getString(dict, 'Product Version'),
    buildVersion: getString(dict, 'Build Version'),
    serialNumber: getString(dict, 'Serial Number'),
    uniqueIdentifier: getString(dict, 'Unique Identifier'),
    guid: getString(dict, 'GUID') ?? guidData?.toString('hex').toUpperCase(),
    targetIdentifier: getString(dict, 'Target Identifier'),
    targetType: getString(dict, 'Target Type'),
    lastBackupDate: getDate(dict, 'Last Backup Date'),
    iTunesVersion: getString(dict, 'iTunes Version'),
    installedApplications: getStringArray(dict, 'Installed Applications'),
    applications: getDict(dict, 'Applications'),
    iccid: getString(dict, 'ICCID'),
    imei: getString(dict, 'IMEI'),
    meid: getString(dict, 'MEID'),
    phoneNumber: getString(dict, 'Phone Number'),
    iTunesSettings: getDict(dict, 'iTunes Settings'),
    iTunesFiles: getDict(dict, 'iTunes Files'),
    iBooksData2: getData(dict, 'iBooks Data 2'),
    otherKeys: unmodelledKeys(dict, MODELLED_KEYS),
  };
  return withoutUndefined(info);
}
