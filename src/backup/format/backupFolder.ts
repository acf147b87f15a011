import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackupError } from '../../common/errors';
import { errorMessageForPeople, fileSystemErrorReason } from '../../common/fileSystemErrorText';
import { recordedBackupUdid } from './backupUdid';
import { INFO_PLIST_FILE } from './infoPlist';
import { MANIFEST_DB_FILE } from './manifestDb';
import { MANIFEST_PLIST_FILE, isManifestEncrypted } from './manifestPlist';
import { readFolderPlists } from './readFolderPlists';
import { STATUS_PLIST_FILE, SNAPSHOT_STATE_FINISHED } from './statusPlist';

/**
 * Marker file our backup engine keeps in `<root>/<udid>/` while it writes a backup; finding it means a
 * backup is running or was interrupted, so the folder's contents are not a consistent backup.
 */
export const IN_PROGRESS_MARKER = '.iosbr-in-progress';

/** The pre-iOS 10 file index; its presence explains a missing Manifest.db. */
const LEGACY_MANIFEST_MBDB_FILE = 'Manifest.mbdb';

/** What the `backups` listing shows about one backup folder. */
export interface BackupSummary {
  /** The backup folder (`<root>/<udid>`). */
  dir: string;
  /**
   * The device UDID the plists record (recordedBackupUdid, the one backup-UDID rule); undefined when they
   * record none. Never the folder name: that is only a convention, and customers' copies are often renamed.
   */
  udid?: string;
  deviceName?: string;
  productType?: string;
  iOSVersion?: string;
  buildVersion?: string;
  /** When the last backup into this folder finished (Status.plist, else Manifest.plist, else Info.plist). */
  date?: Date;
  /** Undefined when Manifest.plist could not be read. */
  encrypted?: boolean;
  /** Sum of the sizes of all regular files in the folder. */
  sizeBytes: number;
  complete: boolean;
  /** Why the backup counts as incomplete. */
  incompleteReason?: string;
  /** Everything that could not be read, one sentence each. */
  notes: string[];
}

/**
 * How to name a backup in a message: its device's name, else the UDID its plists record, else the folder's
 * own name (which then names the folder, not the device).
 */
export function backupName(backup: Pick<BackupSummary, 'dir' | 'deviceName' | 'udid'>): string {
  return backup.deviceName ?? backup.udid ?? path.basename(backup.dir);
}

/** Describes one backup folder; unreadable parts become notes, only a missing or non-folder `dir` throws. */
export async function describeBackup(dir: string): Promise<BackupSummary> {
  await requireFolder(dir);
  const notes: string[] = [];
  const statusPresent = existsSync(path.join(dir, STATUS_PLIST_FILE));
  const { info, manifest, status } = await readFolderPlists(
    dir,
    (_fileName, err) => notes.push(err instanceof Error ? err.message : String(err)),
    (fileName) => fileName !== STATUS_PLIST_FILE || statusPresent,
  );
  if (!existsSync(path.join(dir, MANIFEST_DB_FILE))) {
    notes.push(
      existsSync(path.join(dir, LEGACY_MANIFEST_MBDB_FILE))
        ? `${MANIFEST_DB_FILE} is missing: this backup uses the pre-iOS 10 ${LEGACY_MANIFEST_MBDB_FILE} format, which is not supported.`
        : `${MANIFEST_DB_FILE} is missing from ${dir}.`,
    );
  }
  const size = await folderSizeBytes(dir);
  notes.push(...size.problems);

  const incompleteReason = existsSync(path.join(dir, IN_PROGRESS_MARKER))
    ? 'a backup into this folder is in progress or was interrupted'
    : !statusPresent
      ? `${STATUS_PLIST_FILE} is missing`
      : status === undefined
        ? `${STATUS_PLIST_FILE} could not be read`
        : status.snapshotState !== SNAPSHOT_STATE_FINISHED
          ? `the device did not finish the backup (SnapshotState is ${status.snapshotState === undefined ? 'missing' : `"${status.snapshotState}"`})`
          : undefined;

  const summary: BackupSummary = {
    dir,
    udid: recordedBackupUdid(info, manifest)?.udid,
    deviceName: info?.deviceName ?? info?.displayName ?? manifest?.lockdown?.deviceName,
    productType: info?.productType ?? manifest?.lockdown?.productType,
    iOSVersion: info?.productVersion ?? manifest?.lockdown?.productVersion,
    buildVersion: info?.buildVersion ?? manifest?.lockdown?.buildVersion,
    // Info.plist is written before the backup starts, so it is the last resort for "when".
    date: status?.date ?? manifest?.date ?? info?.lastBackupDate,
    encrypted: manifest === undefined ? undefined : isManifestEncrypted(manifest),
    sizeBytes: size.bytes,
    complete: incompleteReason === undefined,
    incompleteReason,
    notes,
  };
  for (const key of Object.keys(summary) as (keyof BackupSummary)[]) {
    if (summary[key] === undefined) delete summary[key];
  }
  return summary;
}

/**
 * Describes every subfolder of `root` that looks like a backup, sorted by folder name. A folder that cannot
 * be described is listed with its problem instead of failing the listing; a missing root lists nothing.
 */
export async function listBackups(root: string): Promise<BackupSummary[]> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new BackupError(`Cannot list backups in ${root} because ${fileSystemErrorReason(cause)}.`, 'backup.root-unreadable', undefined, { cause });
  }
  const summaries: BackupSummary[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const dir = path.join(root, name);
    if (!(await looksLikeBackup(dir))) continue;
    try {
      summaries.push(await describeBackup(dir));
    } catch (err) {
      const message = errorMessageForPeople(err);
      summaries.push({ dir, sizeBytes: 0, complete: false, incompleteReason: 'the folder could not be read', notes: [message] });
    }
  }
  return summaries;
}

/** True when `dir` is a folder holding at least one of the files a backup folder has. */
export async function looksLikeBackup(dir: string): Promise<boolean> {
  try {
    if (!(await fs.stat(dir)).isDirectory()) return false;
  } catch {
    return false;
  }
  return [INFO_PLIST_FILE, STATUS_PLIST_FILE, MANIFEST_PLIST_FILE, MANIFEST_DB_FILE, IN_PROGRESS_MARKER, LEGACY_MANIFEST_MBDB_FILE].some(
    (file) => existsSync(path.join(dir, file)),
  );
}

/**
 * Total size of the regular files below `dir`, found by a streamed directory walk that stats files without
 * reading them; symlinks are not followed. Folders that cannot be read are reported, not thrown.
 */
export async function folderSizeBytes(dir: string): Promise<{ bytes: number; problems: string[] }> {
  const STAT_BATCH = 64;
  let bytes = 0;
  const problems: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    let batch: string[] = [];
    const statBatch = async (): Promise<void> => {
      const stats = await Promise.allSettled(batch.map((file) => fs.lstat(file)));
      for (const result of stats) if (result.status === 'fulfilled' && result.value.isFile()) bytes += result.value.size;
      batch = [];
    };
    try {
      // opendir streams entries, so a folder of 100 000 hashed files never becomes one big array.
      for await (const entry of await fs.opendir(current)) {
        const entryPath = path.join(current, entry.name);
        if (entry.isDirectory()) pending.push(entryPath);
        else if (entry.isFile()) {
          batch.push(entryPath);
          if (batch.length >= STAT_BATCH) await statBatch();
        }
      }
      await statBatch();
    } catch (err) {
      problems.push(`The size leaves out ${current}, which could not be read because ${fileSystemErrorReason(err)}.`);
    }
  }
  return { bytes, problems };
}

/** Every folder where the platform's Apple software keeps backups, most usual first. */
export function backupRootCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') {
    const profile = env.USERPROFILE ?? os.homedir();
    const appData = env.APPDATA ?? path.win32.join(profile, 'AppData', 'Roaming');
    return [
      path.win32.join(appData, 'Apple Computer', 'MobileSync', 'Backup'),
      // iTunes from the Microsoft Store keeps its backups in the user profile instead.
      path.win32.join(profile, 'Apple', 'MobileSync', 'Backup'),
    ];
  }
  const home = env.HOME ?? os.homedir();
  if (platform === 'darwin') return [path.posix.join(home, 'Library', 'Application Support', 'MobileSync', 'Backup')];
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const dataHome = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.posix.join(home, '.local', 'share');
  return [path.posix.join(dataHome, 'MobileSync', 'Backup')];
}

/** The platform's default backup root: the first candidate that exists, else the usual one. */
export function defaultBackupRoot(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  exists: (folder: string) => boolean = existsSync,
): string {
  const candidates = backupRootCandidates(platform, env);
  return candidates.find((folder) => exists(folder)) ?? candidates[0];
}

async function requireFolder(dir: string): Promise<void> {
  let isFolder: boolean;
  try {
    isFolder = (await fs.stat(dir)).isDirectory();
  } catch (cause) {
    throw new BackupError(
      `Cannot read the backup at ${dir} because ${fileSystemErrorReason(cause)}.`,
      'backup.folder-unreadable',
      undefined,
      { cause },
    );
  }
  if (!isFolder) throw new BackupError(`Cannot read the backup at ${dir} because it is not a folder.`, 'backup.folder-unreadable');
}
