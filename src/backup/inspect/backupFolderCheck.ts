import { promises as fs } from 'node:fs';
import { UsageError } from '../../common/errors';
import { INFO_PLIST_FILE } from '../format/infoPlist';
import { MANIFEST_DB_FILE } from '../format/manifestDb';
import { MANIFEST_PLIST_FILE } from '../format/manifestPlist';
import { readFolderPlists, type FolderPlistReads } from '../format/readFolderPlists';
import { STATUS_PLIST_FILE } from '../format/statusPlist';
import { requiredFileState } from './backupCompleteness';

/** Refuses a path that is not an existing folder: there is nothing to inspect or restore. */
export async function requireFolder(backupDir: string): Promise<void> {
  const stats = await fs.stat(backupDir).catch(() => undefined);
  if (stats === undefined) throw new UsageError(`${backupDir} is not a backup: it does not exist or cannot be reached.`);
  if (!stats.isDirectory()) throw new UsageError(`${backupDir} is not a backup: it is a file, and a backup is a folder.`);
}

/** The refusal of a folder that holds none of a backup's own files: whatever it is, it is not a backup. */
export function notABackupError(backupDir: string): UsageError {
  return new UsageError(`${backupDir} is not a backup: it has no readable ${INFO_PLIST_FILE}, ${MANIFEST_PLIST_FILE} or ${MANIFEST_DB_FILE}.`);
}

/**
 * The same refusal inspectBackup makes, without the rest of the inspection: a missing path, a file, or a folder
 * with no readable Info.plist, Manifest.plist or Manifest.db is refused with a UsageError. Made once before a batch
 * restore, so a wrong --from is one sentence rather than the same failure on every device. Returns the two plists read,
 * for what the caller needs from them (e.g. the backup's own UDID).
 */
export async function requireBackupFolder(backupDir: string): Promise<Pick<FolderPlistReads, 'info' | 'manifest'>> {
  await requireFolder(backupDir);
  // A plist that cannot be read is a problem of the backup, reported by the restore checks; here only "none at all" counts.
  const { info, manifest } = await readFolderPlists(backupDir, () => undefined, (fileName) => fileName !== STATUS_PLIST_FILE);
  if (info === undefined && manifest === undefined && !(await requiredFileState(backupDir, MANIFEST_DB_FILE)).present) throw notABackupError(backupDir);
  return { info, manifest };
}

