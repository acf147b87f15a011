import type { FactKey } from '../compat/facts';
import { known, unknown, type FactSlot, type UnknownReason } from '../compat/factProvenance';
import type { BackupInspection } from '../backup/inspect/backupInspection';
import type { BackupManagement, ManagementFact, ManagementSource } from '../backup/inspect/backupManagement';
import { CLOUD_CONFIGURATION_PATH, CONFIGURATION_PROFILES_DOMAIN, PROFILE_STORE_FOLDER } from '../backup/inspect/configurationProfileStore';
import { inspectBackup } from '../backup/inspect/inspectBackup';
import type { BackupUnlocker } from '../backup/crypto/encryptedBackupSource';

/** The restore facts a backup can answer about the device it came from. */
export type SourceFactKey = Extract<FactKey, `source.${string}`>;

/** One slot per source fact: the value and the file it came from, or why it is unknown. */
export type SourceFactSlots = Record<SourceFactKey, FactSlot>;

/** The files the device fields come from (the inspection reads Info.plist first, then Manifest.plist). */
const DEVICE_PLISTS = 'Info.plist / Manifest.plist';

/**
 * Maps a backup's inspection to the source facts of the compatibility rules: UDID and iOS version from its
 * plists, supervision and MDM enrolment at backup time from the device's configuration-profile store
 * (management.supervised / management.mdmEnrolled). A known fact names the file it came from; an unknown
 * one carries a typed reason with the inspection's own sentence. Nothing is guessed. Pure.
 */
export function sourceSlotsFromInspection(inspection: BackupInspection): SourceFactSlots {
  const fromPlists = (value: string | null): FactSlot => (value === null ? unknown({ code: 'backup-not-recorded' }) : known(value, { kind: 'backup', file: DEVICE_PLISTS }));
  const management = inspection.management;
  return {
    'source.udid': fromPlists(inspection.device.udid),
    'source.iosVersion': fromPlists(inspection.device.iosVersion),
    'source.supervisedAtBackup': managementSlot(management, 'supervised', management.supervised, inspection),
    'source.mdmEnrolledAtBackup': managementSlot(management, 'mdmEnrolled', management.mdmEnrolled, inspection),
  };
}

/** The slot for one management fact: the file that decided it, or why the store did not. */
function managementSlot(
  management: BackupManagement,
  fact: ManagementFact,
  value: boolean | null,
  inspection: BackupInspection,
): FactSlot {
  if (value !== null) {
    const decidedBy = management.sources.find((s) => s.facts.includes(fact));
    return known(value, { kind: 'backup', file: decidedBy ? sourceFile(decidedBy) : `${CONFIGURATION_PROFILES_DOMAIN}/${PROFILE_STORE_FOLDER}` });
  }
  return unknown(unknownManagementReason(management, fact, inspection));
}

/**
 * Why the store did not decide a fact. The store as a whole not read (its folder is the only line) is about the
 * password or the store's absence; a line naming one of its files that decided nothing is that file's problem.
 */
function unknownManagementReason(management: BackupManagement, fact: ManagementFact, inspection: BackupInspection): UnknownReason {
  const undecided = management.sources.filter((s) => s.facts.length === 0);
  const detail = (lines: readonly ManagementSource[]): string => lines.map((s) => s.detail).join(' ');
  // The inspection says in a typed field what became of the password (never in the wording of a sentence).
  if (inspection.passwordOutcome === 'refused') {
    return { code: 'backup-wrong-password', detail: detail(undecided) };
  }
  // Only when the store was left closed for the lack of a password: a missing Manifest.db is its own reason.
  if (inspection.passwordOutcome === 'not-given') {
    return { code: 'backup-encrypted-needs-password', detail: detail(undecided) };
  }
  const aboutFact = undecided.filter((s) => s.relativePath !== PROFILE_STORE_FOLDER && fileDecides(s.relativePath, fact));
  if (aboutFact.length > 0) return { code: 'backup-file-unreadable', detail: detail(aboutFact) };
  const storeLines = undecided.filter((s) => s.relativePath === PROFILE_STORE_FOLDER);
  return { code: 'backup-store-absent', detail: detail(storeLines.length > 0 ? storeLines : undecided) };
}

/** Which fact a file of the store decides: the cloud configuration supervision, the profile stubs enrolment. */
function fileDecides(relativePath: string, fact: ManagementFact): boolean {
  return fact === 'supervised' ? relativePath === CLOUD_CONFIGURATION_PATH : relativePath.endsWith('.stub');
}

function sourceFile(source: ManagementSource): string {
  return `${source.domain}/${source.relativePath}`;
}

/** A backup's inspection and its source facts. */
export interface BackupSourceFacts {
  inspection: BackupInspection;
  slots: SourceFactSlots;
}

/** How the backup is read. */
export interface ReadBackupSourceFactsOptions {
  /** The backup password, for an encrypted backup's profile store. */
  password?: string;
  /** The password already derived by the caller (used instead of `password`). */
  unlocker?: BackupUnlocker;
  signal?: AbortSignal;
}

/**
 * The one reader of a backup's source facts, used by the restore checks, the CLI and the panel: inspects the
 * backup (inspectBackup) and maps what it found. A folder that is not a backup is a UsageError.
 */
export async function readBackupSourceFacts(backupDir: string, options: ReadBackupSourceFactsOptions = {}): Promise<BackupSourceFacts> {
  // An empty password is no password (a keybag is never opened by one).
  const password = options.password ? options.password : undefined;
  const inspection = await inspectBackup(backupDir, { password, unlocker: options.unlocker, signal: options.signal });
  return { inspection, slots: sourceSlotsFromInspection(inspection) };
}
