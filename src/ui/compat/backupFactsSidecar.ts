import { BACKUP_FACTS_FILE, readBackupFactsText } from '../../backup/engine/backupFacts';
import { isRegularFileError } from '../../backup/format/regularFile';

export { BACKUP_FACTS_FILE };

/** The device state the sidecar records; a field it does not hold (or holds in a wrong shape) stays unknown. */
export interface RecordedBackupFacts {
  udid?: string;
  iosVersion?: string;
  supervised?: boolean;
  mdm?: 'enrolled' | 'none';
}

/** What reading the sidecar found: the facts, no sidecar at all (not our backup), or a file that could not be used. */
export type SidecarRead =
  | { status: 'recorded'; facts: RecordedBackupFacts }
  | { status: 'absent' }
  | { status: 'unreadable'; reason: string };

/**
 * Reads `<backupDir>/iosbr-backup-facts.json`, the BackupFactsRecord our backup engine writes (backupFacts.ts).
 * Only the fields compatibility needs are taken, each checked for its type, so one damaged field leaves just
 * that fact unknown (the engine's own reader rejects the whole record instead).
 */
export async function readBackupFactsSidecar(backupDir: string): Promise<SidecarRead> {
  let text: string;
  try {
    text = await readBackupFactsText(backupDir);
  } catch (err) {
    if (isRegularFileError(err) && err.kind === 'missing') return { status: 'absent' };
    // A FIFO, folder or link in its place is refused with a sentence that names what it is.
    return { status: 'unreadable', reason: isRegularFileError(err) ? err.message.replace(/\.$/, '') : `${BACKUP_FACTS_FILE} could not be read (${String(err)})` };
  }
  return parseBackupFactsSidecar(text);
}

/** Parses the sidecar's text (split out so the checks are testable without files). */
export function parseBackupFactsSidecar(text: string): SidecarRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { status: 'unreadable', reason: `${BACKUP_FACTS_FILE} is not JSON (${(err as Error).message})` };
  }
  const root = data;
  if (!isRecord(root)) return { status: 'unreadable', reason: `${BACKUP_FACTS_FILE} does not hold an object` };
  const facts: RecordedBackupFacts = {};
  if (typeof root.udid === 'string' && root.udid.trim() !== '') facts.udid = root.udid.trim();
  if (typeof root.iosVersion === 'string' && root.iosVersion.trim() !== '') facts.iosVersion = root.iosVersion.trim();
  if (typeof root.supervised === 'boolean') facts.supervised = root.supervised;
  // The record says null when the device did not tell at backup time: unknown, like a missing field.
  if (typeof root.mdmEnrolled === 'boolean') facts.mdm = root.mdmEnrolled ? 'enrolled' : 'none';
  return { status: 'recorded', facts };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
