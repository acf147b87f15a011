import { MANIFEST_FLAGS } from '../../backup/format/manifestDb';
import { ManifestDbBuilder } from '../../backup/format/manifestDbBuilder';
import { encodeManifestPlist } from '../../backup/format/manifestPlist';
import { encodeMbFile, type MbFileRecord } from '../../backup/format/mbFile';
import { encodeStatusPlist } from '../../backup/format/statusPlist';
import type { PlistDict } from '../../plist';
import { DATASET_OWNER_ID, type DatasetEntry, type SimulatedDataset } from '../dataset/simulatedDataset';
import { SIMULATED_APPS, appBundlePath } from '../installedApps';
import type { VirtualDevice } from '../virtualDevice';
import type { BackupProtection } from './backupProtection';

/** Status.plist Version current devices write. */
export const STATUS_PLIST_VERSION = '3.3';
/** Manifest.plist Version of SQLite-manifest backups. */
export const MANIFEST_PLIST_VERSION = '10.0';
/** Manifest.plist SystemDomainsVersion of iOS 16/17-era devices. */
export const SYSTEM_DOMAINS_VERSION = '24.0';

/** The MBFile record of one dataset entry. */
export function mbFileOf(entry: DatasetEntry, encryptionKey: Buffer | undefined): MbFileRecord {
  const record: MbFileRecord = {
    relativePath: entry.relativePath,
    size: entry.size,
    mode: entry.mode,
    userId: DATASET_OWNER_ID,
    groupId: DATASET_OWNER_ID,
    inodeNumber: entry.inode,
    birth: entry.birth,
    lastModified: entry.lastModified,
    lastStatusChange: entry.lastModified,
    flags: 0,
    protectionClass: entry.protectionClass,
  };
  if (encryptionKey) record.encryptionKey = encryptionKey;
  return record;
}

/**
 * Manifest.db for the whole dataset (one Files row per file and directory, with its MBFile blob),
 * sealed by the protection. Encryption keys are looked up per fileID (files of an encrypted
 * incremental backup that were not re-sent keep the keys of the previous backup).
 */
export async function buildManifestDb(dataset: SimulatedDataset, encryptionKeys: ReadonlyMap<string, Buffer>, protection: BackupProtection): Promise<Buffer> {
  const db = await ManifestDbBuilder.create();
  try {
    db.putMany(
      (function* rows() {
        for (const entry of dataset.entries) {
          yield {
            domain: entry.domain,
            relativePath: entry.relativePath,
            flags: entry.kind === 'file' ? MANIFEST_FLAGS.file : MANIFEST_FLAGS.directory,
            file: encodeMbFile(mbFileOf(entry, encryptionKeys.get(entry.fileID))),
          };
        }
      })(),
    );
    return protection.sealManifestDb(db.serialize());
  } finally {
    db.close();
  }
}

/** Manifest.plist: the device snapshot (Lockdown), encryption flag and keys, apps. */
export function buildManifestPlist(device: VirtualDevice, protection: BackupProtection, date: Date): Buffer {
  const spec = device.spec;
  const applications: PlistDict = {};
  for (const app of SIMULATED_APPS) {
    applications[app.bundleId] = {
      CFBundleIdentifier: app.bundleId,
      CFBundleVersion: app.version,
      ContainerContentClass: 'Data/Application',
      Path: appBundlePath(app, device.udid),
    };
  }
  const keys = protection.manifestKeys();
  return encodeManifestPlist({
    applications,
    backupKeyBag: keys.backupKeyBag,
    manifestKey: keys.manifestKey,
    date,
    isEncrypted: protection.isEncrypted,
    lockdown: {
      buildVersion: spec.buildVersion,
      deviceName: spec.name,
      productType: spec.productType,
      productVersion: spec.productVersion,
      serialNumber: spec.serialNumber,
      uniqueDeviceId: spec.udid,
    },
    systemDomainsVersion: SYSTEM_DOMAINS_VERSION,
    version: MANIFEST_PLIST_VERSION,
    wasPasscodeSet: false,
  });
}

/** Status.plist of a backup in progress ("uploading") or completed ("finished"). */
export function buildStatusPlist(uuid: string, isFullBackup: boolean, snapshotState: 'uploading' | 'finished', date: Date): Buffer {
  return encodeStatusPlist({ backupState: 'new', date, isFullBackup, snapshotState, uuid, version: STATUS_PLIST_VERSION });
}
