import { readFileSync } from 'node:fs';
import { parseInfoPlist, type InfoPlist } from '../../backup/format/infoPlist';
import { isManifestEncrypted, parseManifestPlist, type ManifestPlist } from '../../backup/format/manifestPlist';
import { isSnapshotFinished, parseStatusPlist } from '../../backup/format/statusPlist';
import { unreadablePropertiesFailure } from './restoreFailures';
import type { RestoreMetadataFile, RestoreStaging } from './restoreStaging';

/** What the device takes from a backup's Status.plist, Manifest.plist and Info.plist. */
export interface BackupProperties {
  /** Status.plist UUID of the backup. */
  uuid: string | undefined;
  manifest: ManifestPlist;
  encrypted: boolean;
  /** The UDID of the device the backup was made on (Manifest.plist Lockdown, else Info.plist). */
  sourceUdid: string | undefined;
  /** The iOS version the backup was made with. */
  productVersion: string | undefined;
  /** The name of the device the backup was made on. */
  deviceName: string | undefined;
}

/**
 * Reads the downloaded metadata from the staging folder. Status.plist must say the backup
 * finished and Manifest.plist must be a readable plist; an empty or broken one ends the restore
 * with 205 "Error reading backup properties", as on a real device (lid#1582). Info.plist is
 * host-written and optional: it only fills in what Manifest.plist lacks.
 */
export function readBackupProperties(staging: RestoreStaging, infoPlistStaged: boolean): BackupProperties {
  const status = parseOrFail('Status.plist', staging, parseStatusPlist);
  if (!isSnapshotFinished(status)) {
    throw unreadablePropertiesFailure('Status.plist', `the backup did not finish (SnapshotState ${status.snapshotState ?? 'missing'})`);
  }
  const manifest = parseOrFail('Manifest.plist', staging, parseManifestPlist);
  let info: InfoPlist = {};
  if (infoPlistStaged) {
    try {
      info = parseInfoPlist(readFileSync(staging.metadataPath('Info.plist')));
    } catch {
      // Info.plist is the host's description; the device's own Manifest.plist is what counts.
      info = {};
    }
  }
  const lockdown = manifest.lockdown ?? {};
  return {
    uuid: status.uuid,
    manifest,
    encrypted: isManifestEncrypted(manifest),
    sourceUdid: lockdown.uniqueDeviceId ?? info.uniqueIdentifier ?? info.targetIdentifier,
    productVersion: lockdown.productVersion ?? info.productVersion,
    deviceName: lockdown.deviceName ?? info.deviceName ?? info.displayName,
  };
}

function parseOrFail<T>(file: RestoreMetadataFile, staging: RestoreStaging, parse: (bytes: Buffer) => T): T {
  const bytes = readFileSync(staging.metadataPath(file));
  if (bytes.length === 0) throw unreadablePropertiesFailure(file, 'Cannot parse a NULL or zero-length data (MBErrorDomain/11)');
  try {
    return parse(bytes);
  } catch (err) {
    throw unreadablePropertiesFailure(file, (err as Error).message);
  }
}
