import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_DB_FILE } from '../format/manifestDb';
import { readFolderPlists } from '../format/readFolderPlists';
import { INFO_PLIST_FILE, type InfoPlist } from '../format/infoPlist';
import { MANIFEST_PLIST_FILE, isManifestEncrypted, type ManifestPlist } from '../format/manifestPlist';
import { STATUS_PLIST_FILE, isSnapshotFinished, type StatusPlist } from '../format/statusPlist';
import type { HealthFindings } from './healthFindings';

/** The three folder-level plists of a backup, each undefined when it could not be read (a problem says why). */
export interface FolderPlists {
  info?: InfoPlist;
  manifest?: ManifestPlist;
  status?: StatusPlist;
  /** From Manifest.plist; null when Manifest.plist could not be read. */
  encrypted: boolean | null;
}

/** The legacy index of iOS 9 and earlier, which this product does not read. */
const MANIFEST_MBDB_FILE = 'Manifest.mbdb';

/**
 * Reads Info.plist, Manifest.plist and Status.plist and checks that each parses, that they describe the
 * same device, that Status says the backup finished and that the backup is of the Manifest.db kind.
 */
export async function checkFolderPlists(backupDir: string, findings: HealthFindings): Promise<FolderPlists> {
  // The readers' refusals are one sentence naming the file (missing, not a plist, a link or FIFO in its place).
  const { info, manifest, status } = await readFolderPlists(backupDir, (fileName, err) => findings.problem(null, fileName, err instanceof Error ? err.message : String(err)));
  if (status !== undefined && !isSnapshotFinished(status)) {
    const state = status.snapshotState === undefined ? 'no SnapshotState' : `SnapshotState "${status.snapshotState}"`;
    findings.problem(null, STATUS_PLIST_FILE, `the backup did not finish: Status.plist has ${state}, not "finished", so the last backup run stopped part-way`);
  }
  if (info !== undefined && manifest !== undefined) checkSameDevice(info, manifest, findings);
  if (manifest !== undefined) await checkManifestKind(backupDir, manifest, findings);
  return { info, manifest, status, encrypted: manifest === undefined ? null : isManifestEncrypted(manifest) };
}

/**
 * Info.plist is written by the host when the backup starts, Manifest.plist by the device when it ends; both
 * come from the same device in one run, so any difference means files of two backups were mixed.
 * A value missing from either file is not compared (older hosts leave some out).
 */
function checkSameDevice(info: InfoPlist, manifest: ManifestPlist, findings: HealthFindings): void {
  const lockdown = manifest.lockdown ?? {};
  const pairs: [string, string | undefined, string | undefined][] = [
    ['UDID', info.uniqueIdentifier ?? info.targetIdentifier, lockdown.uniqueDeviceId],
    ['serial number', info.serialNumber, lockdown.serialNumber],
    ['model (ProductType)', info.productType, lockdown.productType],
    ['iOS version', info.productVersion, lockdown.productVersion],
    ['iOS build', info.buildVersion, lockdown.buildVersion],
  ];
  for (const [what, inInfo, inManifest] of pairs) {
    if (inInfo === undefined || inManifest === undefined) continue;
    // Hosts upper-case the UDID in Info.plist; the device writes its own spelling.
    if (inInfo.toUpperCase() === inManifest.toUpperCase()) continue;
    findings.problem(
      null,
      INFO_PLIST_FILE,
      `Info.plist and Manifest.plist disagree on the device's ${what} ("${inInfo}" and "${inManifest}"), so the folder mixes files of two different backups`,
    );
  }
}

/** A backup of iOS 9 or earlier keeps its index in Manifest.mbdb, which cannot be checked here. */
async function checkManifestKind(backupDir: string, manifest: ManifestPlist, findings: HealthFindings): Promise<void> {
  const legacyVersion = manifest.version !== undefined && /^[0-9]\./.test(manifest.version);
  const exists = (name: string): Promise<boolean> => fs.lstat(path.join(backupDir, name)).then(() => true, () => false);
  // A folder upgraded from iOS 9 may keep its old Manifest.mbdb next to the Manifest.db that counts.
  const onlyMbdb = (await exists(MANIFEST_MBDB_FILE)) && !(await exists(MANIFEST_DB_FILE));
  if (legacyVersion || onlyMbdb) {
    findings.problem(
      null,
      MANIFEST_PLIST_FILE,
      `this backup uses the Manifest.mbdb index of iOS 9 and earlier (Manifest.plist Version ${manifest.version ?? 'missing'}), which this tool cannot check`,
    );
  }
}
