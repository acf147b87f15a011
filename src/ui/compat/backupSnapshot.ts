import { looksLikeBackup } from '../../backup/format/backupFolder';
import { readBackupSourceFacts, type SourceFactSlots } from '../../restore/sourceFactsFromBackup';
import { errorMessageForPeople } from '../../common/fileSystemErrorText';

/** What the panel knows about one backup folder, read by the one reader of a backup's facts. */
export interface BackupSnapshot {
  dir: string;
  /** The device UDID as the plists record it; never derived from the folder name, which is only a convention. */
  udid?: string;
  deviceName?: string;
  iosVersion?: string;
  date?: Date;
  /** The source facts of the compatibility rules, each with the file it came from or why it is unknown. */
  source?: SourceFactSlots;
  /** Why the folder could not be read at all (then every fact is unknown). */
  unreadable?: string;
}

/**
 * Reads a backup for the panel through readBackupSourceFacts (the restore checks and the CLI use the same),
 * with the password the engineer saved for it, if any: without one an encrypted backup's management state stays
 * unknown and is asked. Failures become fields, never exceptions.
 */
export async function readBackupSnapshot(dir: string, password?: string, signal?: AbortSignal): Promise<BackupSnapshot> {
  if (!(await looksLikeBackup(dir))) return { dir, unreadable: `${dir} is not a backup folder` };
  try {
    const { inspection, slots } = await readBackupSourceFacts(dir, { password, signal });
    const snapshot: BackupSnapshot = { dir, source: slots };
    if (inspection.device.udid !== null) snapshot.udid = inspection.device.udid;
    if (inspection.device.name !== null) snapshot.deviceName = inspection.device.name;
    if (inspection.device.iosVersion !== null) snapshot.iosVersion = inspection.device.iosVersion;
    if (inspection.backupDate !== null) snapshot.date = new Date(inspection.backupDate);
    return snapshot;
  } catch (err) {
    return { dir, unreadable: errorMessageForPeople(err).replace(/\.$/, '') };
  }
}
