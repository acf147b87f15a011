import { getBoolean, getData, getDate, getDict, getString, type PlistDict } from '../../plist';
import { backupPlistFile } from './backupPlistFile';
import { plistRecord } from './plistDocument';

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

const lockdownRecord = plistRecord<ManifestLockdown>({
  buildVersion: ['BuildVersion', getString], deviceName: ['DeviceName', getString], productType: ['ProductType', getString],
  productVersion: ['ProductVersion', getString], serialNumber: ['SerialNumber', getString], uniqueDeviceId: ['UniqueDeviceID', getString],
});

/**
 * Manifest.plist parsed from bytes (XML or binary; only a file that is not a plist dictionary is an error), read
 * from `<backupDir>/Manifest.plist`, and encoded (binary, as devices write it, unless another format is asked for).
 */
export const { parse: parseManifestPlist, read: readManifestPlist, encode: encodeManifestPlist } = backupPlistFile<ManifestPlist>({
  fileName: MANIFEST_PLIST_FILE,
  ...plistRecord<ManifestPlist>({
    applications: ['Applications', getDict], backupKeyBag: ['BackupKeyBag', getData], date: ['Date', getDate],
    isEncrypted: ['IsEncrypted', getBoolean],
    lockdown: ['Lockdown', (dict, key) => { const lockdown = getDict(dict, key); return lockdown && lockdownRecord.fromDict(lockdown); }, lockdownRecord.toDict],
    manifestKey: ['ManifestKey', getData], systemDomainsVersion: ['SystemDomainsVersion', getString], version: ['Version', getString],
    wasPasscodeSet: ['WasPasscodeSet', getBoolean],
  }),
  usualFormat: 'binary',
});

/**
 * Whether the backup is encrypted: IsEncrypted when present, otherwise the presence of a keybag
 * (a backup that carries one cannot be read as plain files).
 */
export function isManifestEncrypted(manifest: ManifestPlist): boolean {
  return manifest.isEncrypted ?? manifest.backupKeyBag !== undefined;
}
