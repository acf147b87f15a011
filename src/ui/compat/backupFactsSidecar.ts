import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** File our backup engine writes beside Info.plist with the source device's facts at backup time. */
export const BACKUP_FACTS_FILE = 'iosbr-backup-facts.json';

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
 * Reads `<backupDir>/iosbr-backup-facts.json`. The file holds the DeviceFacts the engine read before backing up
 * (top level, or under "facts"); only the fields compatibility needs are taken, each checked for its type.
 */
export async function readBackupFactsSidecar(backupDir: string): Promise<SidecarRead> {
  let text: string;
  try {
    text = await fs.readFile(path.join(backupDir, BACKUP_FACTS_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'absent' };
    return { status: 'unreadable', reason: `${BACKUP_FACTS_FILE} could not be read (${code ?? String(err)})` };
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
  const root = isRecord(data) && isRecord(data.facts) ? data.facts : data;
  if (!isRecord(root)) return { status: 'unreadable', reason: `${BACKUP_FACTS_FILE} does not hold an object` };
  const facts: RecordedBackupFacts = {};
  if (typeof root.udid === 'string' && root.udid.trim() !== '') facts.udid = root.udid.trim();
  if (typeof root.iosVersion === 'string' && root.iosVersion.trim() !== '') facts.iosVersion = root.iosVersion.trim();
  if (typeof root.supervised === 'boolean') facts.supervised = root.supervised;
  if (root.mdm === 'enrolled' || root.mdm === 'none') facts.mdm = root.mdm;
  return { status: 'recorded', facts };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
