import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { looksLikeBackup } from '../../backup/format/backupFolder';
import { readInfoPlist, type InfoPlist } from '../../backup/format/infoPlist';
import { MANIFEST_PLIST_FILE, readManifestPlist, type ManifestPlist } from '../../backup/format/manifestPlist';
import { STATUS_PLIST_FILE, readStatusPlist, type StatusPlist } from '../../backup/format/statusPlist';
import { readBackupFactsSidecar, type SidecarRead } from './backupFactsSidecar';

/** What the panel knows about one backup folder: identity from the plists, device state from our sidecar. */
export interface BackupSnapshot {
  dir: string;
  /** The device UDID as the plists record it; never derived from the folder name, which is only a convention. */
  udid?: string;
  deviceName?: string;
  iosVersion?: string;
  date?: Date;
  /** The source device's facts at backup time, when this product made the backup. */
  sidecar: SidecarRead;
  /** Why the folder could not be read at all (then every fact is unknown). */
  unreadable?: string;
}

/** Reads the small plists of a backup and its facts sidecar; failures become fields, never exceptions. */
export async function readBackupSnapshot(dir: string): Promise<BackupSnapshot> {
  if (!(await looksLikeBackup(dir))) {
    return { dir, sidecar: { status: 'absent' }, unreadable: `${dir} is not a backup folder` };
  }
  const info = await optional<InfoPlist>(() => readInfoPlist(dir));
  const manifest = existsSync(path.join(dir, MANIFEST_PLIST_FILE)) ? await optional<ManifestPlist>(() => readManifestPlist(dir)) : undefined;
  const status = existsSync(path.join(dir, STATUS_PLIST_FILE)) ? await optional<StatusPlist>(() => readStatusPlist(dir)) : undefined;
  const sidecar = await readBackupFactsSidecar(dir);
  const recorded = sidecar.status === 'recorded' ? sidecar.facts : {};
  return {
    dir,
    udid: info?.uniqueIdentifier ?? info?.targetIdentifier ?? manifest?.lockdown?.uniqueDeviceId ?? recorded.udid,
    deviceName: info?.deviceName ?? info?.displayName ?? manifest?.lockdown?.deviceName,
    // The version the backup was taken on; Manifest.plist records it too when Info.plist is missing.
    iosVersion: info?.productVersion ?? manifest?.lockdown?.productVersion ?? recorded.iosVersion,
    date: status?.date ?? manifest?.date ?? info?.lastBackupDate,
    sidecar,
  };
}

/** Reads every backup folder directly under `root`, sorted newest first; a missing root gives an empty list. */
export async function listBackupSnapshots(root: string): Promise<BackupSnapshot[]> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return [];
  }
  const snapshots: BackupSnapshot[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const dir = path.join(root, name);
    if (await looksLikeBackup(dir)) snapshots.push(await readBackupSnapshot(dir));
  }
  return snapshots.sort((a, b) => (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0));
}

async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    // A damaged plist only means fewer facts; the questions then ask for what is missing.
    return undefined;
  }
}
