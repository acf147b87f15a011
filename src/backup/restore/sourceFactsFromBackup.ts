import { UsageError } from '../../errors';
import type { SourceFacts } from '../../compat/facts';
import { BACKUP_FACTS_FILE, readBackupFactsText } from '../engine/backupFacts';
import { isRegularFileError } from '../format/regularFile';
import { readInfoPlist } from '../format/infoPlist';
import { readManifestPlist } from '../format/manifestPlist';

/** Source facts read from a backup folder, with where each came from. */
export interface BackupSourceFacts {
  facts: SourceFacts;
  /** One line per source that was read or could not be read. */
  notes: string[];
}

type Json = Record<string, unknown>;

const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Supervision/MDM from the sidecar: accepts the device-facts shape (supervised, mdm) either at the top or under `facts`. */
function sidecarFacts(json: Json): SourceFacts {
  const f = (typeof json.facts === 'object' && json.facts !== null ? json.facts : json) as Json;
  const mdm = f.mdm === 'enrolled' ? true : f.mdm === 'none' ? false : bool(f.mdmEnrolled);
  return {
    udid: str(f.udid),
    iosVersion: str(f.iosVersion),
    supervisedAtBackup: bool(f.supervised),
    mdmEnrolledAtBackup: mdm,
  };
}

/**
 * Reads what a backup says about the device it came from: UDID and iOS version from Info.plist /
 * Manifest.plist (any backup), supervision and MDM enrolment from our sidecar (backups we made).
 * Missing facts stay unknown; the evaluator turns them into questions.
 */
export async function sourceFactsFromBackup(backupDir: string): Promise<BackupSourceFacts> {
  const notes: string[] = [];
  const facts: SourceFacts = {};
  try {
    const info = await readInfoPlist(backupDir);
    facts.udid = info.uniqueIdentifier ?? info.targetIdentifier ?? null;
    facts.iosVersion = info.productVersion ?? null;
  } catch (err) {
    notes.push(`Info.plist: ${(err as Error).message}`);
  }
  if (!facts.udid || !facts.iosVersion) {
    try {
      const manifest = await readManifestPlist(backupDir);
      facts.udid ??= manifest.lockdown?.uniqueDeviceId ?? null;
      facts.iosVersion ??= manifest.lockdown?.productVersion ?? null;
    } catch (err) {
      notes.push(`Manifest.plist: ${(err as Error).message}`);
    }
  }
  if (!facts.udid && !facts.iosVersion && notes.length === 2) {
    throw new UsageError(`${backupDir} does not look like a backup folder (no readable Info.plist or Manifest.plist).`);
  }
  try {
    const sidecar = sidecarFacts(JSON.parse(await readBackupFactsText(backupDir)) as Json);
    facts.supervisedAtBackup = sidecar.supervisedAtBackup;
    facts.mdmEnrolledAtBackup = sidecar.mdmEnrolledAtBackup;
    facts.udid ??= sidecar.udid;
    facts.iosVersion ??= sidecar.iosVersion;
    notes.push(`${BACKUP_FACTS_FILE}: supervision and MDM state recorded at backup time.`);
  } catch (err) {
    notes.push(
      isRegularFileError(err) && err.kind === 'missing'
        ? 'This backup was not made by iosbr, so whether its device was supervised or MDM-enrolled at backup time is not recorded.'
        : `${BACKUP_FACTS_FILE} is unreadable: ${(err as Error).message}`,
    );
  }
  return { facts, notes };
}
