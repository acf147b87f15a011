import { getBoolean, getData, getDate, getDict, getString, type PlistDict } from '../../plist';
import { backupPlistFile } from './backupPlistFile';
import { setDefined, unmodelledKeys, withoutUndefined, type PlistFormat } from './plistDocument';

/** File name of the device-written backup description in a backup folder. */
export const MANIFEST_PLIST_FILE = 'Manifest.plist';

/** The `Lockdown` dictionary of Manifest.plist: a snapshot of device values at backup time. */
export interface ManifestLockdown {
  productVersion?: string;
  productType?: string;
  buildVersion?: string;
  uniqueDeviceId?: string;
  serialNumber?: string;
  deviceName?: string;
  /** Keys found in the dictionary that this type does not model, written back unchanged. */
  otherKeys?: PlistDict;
}

/** Manifest.plist: backup-wide metadata, including the keybag of an encrypted backup. Every field may be missing. */
export interface ManifestPlist {
  isEncrypted?: boolean;
  /** "10.0" for Manifest.db backups, "9.1" for Manifest.mbdb ones. */
  version?: string;
  date?: Date;
  systemDomainsVersion?: string;
  wasPasscodeSet?: boolean;
  lockdown?: ManifestLockdown;
  /** bundle id → per-app entry. */
  applications?: PlistDict;
  /** Keybag TLV of an encrypted backup. */
  backupKeyBag?: Buffer;
  /** 4-byte little-endian protection class + wrapped Manifest.db key (encrypted backups, iOS 10.2+). */
  manifestKey?: Buffer;
  /** Keys found in the file that this type does not model, written back unchanged. */
  otherKeys?: PlistDict;
}

const MODELLED_KEYS = [
  'IsEncrypted',
  'Version',
  'Date',
  'SystemDomainsVersion',
  'WasPasscodeSet',
  'Lockdown',
  'Applications',
  'BackupKeyBag',
  'ManifestKey',
] as const;

const MODELLED_LOCKDOWN_KEYS = [
  'ProductVersion',
  'ProductType',
  'BuildVersion',
  'UniqueDeviceID',
  'SerialNumber',
  'DeviceName',
] as const;

const manifestPlistFile = backupPlistFile({ fileName: MANIFEST_PLIST_FILE, fromDict: manifestFromDict, toDict: manifestToDict, usualFormat: 'binary' });

/** Parses Manifest.plist bytes (XML or binary); only a file that is not a plist dictionary is an error. */
export const parseManifestPlist = (bytes: Buffer): ManifestPlist => manifestPlistFile.parse(bytes);

/** Reads `<backupDir>/Manifest.plist`. */
export const readManifestPlist = (backupDir: string): Promise<ManifestPlist> => manifestPlistFile.read(backupDir);

/** Encodes Manifest.plist; devices write it as a binary plist, which is the default. */
export const encodeManifestPlist = (manifest: ManifestPlist, format?: PlistFormat): Buffer => manifestPlistFile.encode(manifest, format);

/**
 * Whether the backup is encrypted: IsEncrypted when present, otherwise the presence of a keybag
 * (a backup that carries one cannot be read as plain files).
 */
export function isManifestEncrypted(manifest: ManifestPlist): boolean {
  return manifest.isEncrypted ?? manifest.backupKeyBag !== undefined;
}

function manifestToDict(manifest: ManifestPlist): PlistDict {
  const dict: PlistDict = { ...manifest.otherKeys };
  setDefined(dict, 'Applications', manifest.applications);
  setDefined(dict, 'BackupKeyBag', manifest.backupKeyBag);
  setDefined(dict, 'Date', manifest.date);
  setDefined(dict, 'IsEncrypted', manifest.isEncrypted);
  if (manifest.lockdown !== undefined) dict.Lockdown = lockdownToDict(manifest.lockdown);
  setDefined(dict, 'ManifestKey', manifest.manifestKey);
  setDefined(dict, 'SystemDomainsVersion', manifest.systemDomainsVersion);
  setDefined(dict, 'Version', manifest.version);
  setDefined(dict, 'WasPasscodeSet', manifest.wasPasscodeSet);
  return dict;
}

function manifestFromDict(dict: PlistDict): ManifestPlist {
  const lockdown = getDict(dict, 'Lockdown');
  return withoutUndefined<ManifestPlist>({
    isEncrypted: getBoolean(dict, 'IsEncrypted'),
    version: getString(dict, 'Version'),
    date: getDate(dict, 'Date'),
    systemDomainsVersion: getString(dict, 'SystemDomainsVersion'),
    wasPasscodeSet: getBoolean(dict, 'WasPasscodeSet'),
    lockdown: lockdown === undefined ? undefined : lockdownFromDict(lockdown),
    applications: getDict(dict, 'Applications'),
    backupKeyBag: getData(dict, 'BackupKeyBag'),
    manifestKey: getData(dict, 'ManifestKey'),
    otherKeys: unmodelledKeys(dict, MODELLED_KEYS),
  });
}

function lockdownFromDict(dict: PlistDict): ManifestLockdown {
  return withoutUndefined<ManifestLockdown>({
    productVersion: getString(dict, 'ProductVersion'),
    productType: getString(dict, 'ProductType'),
    buildVersion: getString(dict, 'BuildVersion'),
    uniqueDeviceId: getString(dict, 'UniqueDeviceID'),
    serialNumber: getString(dict, 'SerialNumber'),
    deviceName: getString(dict, 'DeviceName'),
    otherKeys: unmodelledKeys(dict, MODELLED_LOCKDOWN_KEYS),
  });
}

function lockdownToDict(lockdown: ManifestLockdown): PlistDict {
  const dict: PlistDict = { ...lockdown.otherKeys };
  setDefined(dict, 'BuildVersion', lockdown.buildVersion);
  setDefined(dict, 'DeviceName', lockdown.deviceName);
  setDefined(dict, 'ProductType', lockdown.productType);
  setDefined(dict, 'ProductVersion', lockdown.productVersion);
  setDefined(dict, 'SerialNumber', lockdown.serialNumber);
  setDefined(dict, 'UniqueDeviceID', lockdown.uniqueDeviceId);
  return dict;
}
