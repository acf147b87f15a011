import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IN_PROGRESS_MARKER } from '../format/backupFolder';
import { INFO_PLIST_FILE } from '../format/infoPlist';
import { MANIFEST_DB_FILE } from '../format/manifestDb';
import { MANIFEST_PLIST_FILE } from '../format/manifestPlist';
import { isRegularFileError, openRegularFile } from '../format/regularFile';
import { STATUS_PLIST_FILE, SNAPSHOT_STATE_FINISHED, type StatusPlist } from '../format/statusPlist';
import { displayString } from './displayString';

/** The files every finished backup has, in the order a host writes them. */
export const REQUIRED_BACKUP_FILES = [INFO_PLIST_FILE, MANIFEST_PLIST_FILE, MANIFEST_DB_FILE, STATUS_PLIST_FILE] as const;

/** What a check of one required file found: present and non-empty, or why not (one sentence). */
export type RequiredFileState = { present: true } | { present: false; reason: string };

/**
 * Whether one required file is there as a non-empty regular file. It is opened the way every file of a
 * backup folder is (no link followed, no pipe waited on) and closed again without being read.
 */
export async function requiredFileState(backupDir: string, fileName: string): Promise<RequiredFileState> {
  try {
    const { handle, size } = await openRegularFile(path.join(backupDir, fileName), { describe: fileName });
    await handle.close();
    return size > 0 ? { present: true } : { present: false, reason: `${fileName} is empty.` };
  } catch (err) {
    if (isRegularFileError(err) && err.kind === 'missing') return { present: false, reason: `${fileName} is missing.` };
    if (isRegularFileError(err)) return { present: false, reason: err.message };
    throw err;
  }
}

/** What Status.plist said, for {@link incompleteReasons}: its content, or that it could not be read. */
export type StatusReading = { status: StatusPlist } | { unreadable: string };

/**
 * Why a backup is not complete, one sentence each; empty when it is. A backup is complete when the four
 * required files are there and non-empty, Status.plist says the device finished (SnapshotState
 * "finished"), and no backup of ours is writing into the folder (the in-progress marker).
 */
export async function incompleteReasons(backupDir: string, files: ReadonlyMap<string, RequiredFileState>, status: StatusReading | undefined): Promise<string[]> {
  const reasons: string[] = [];
  const marker = await fs.lstat(path.join(backupDir, IN_PROGRESS_MARKER)).then(
    () => true,
    () => false,
  );
  if (marker) reasons.push(`A backup into this folder is in progress or was interrupted (${IN_PROGRESS_MARKER} is there).`);
  for (const fileName of REQUIRED_BACKUP_FILES) {
    const state = files.get(fileName);
    if (state !== undefined && !state.present) reasons.push(state.reason);
  }
  if (status !== undefined && 'unreadable' in status && files.get(STATUS_PLIST_FILE)?.present === true) reasons.push(status.unreadable);
  if (status !== undefined && 'status' in status && status.status.snapshotState !== SNAPSHOT_STATE_FINISHED) {
    const state = status.status.snapshotState;
    reasons.push(`The device did not finish the backup: Status.plist's SnapshotState is ${state === undefined ? 'missing' : `"${displayString(state, 64) ?? ''}"`}, not "${SNAPSHOT_STATE_FINISHED}".`);
  }
  return reasons;
}
