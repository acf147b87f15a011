import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isIosVersion } from '../../compat/iosVersion';
import { sourceFactsFromBackup } from './sourceFactsFromBackup';
import { checkBackupPassword, isKeybagCorruptError } from '../crypto';
import { folderSizeBytes, IN_PROGRESS_MARKER } from '../format/backupFolder';
import { INFO_PLIST_FILE, readInfoPlist } from '../format/infoPlist';
import { MANIFEST_DB_FILE } from '../format/manifestDb';
import { isManifestEncrypted, MANIFEST_PLIST_FILE, readManifestPlist, type ManifestPlist } from '../format/manifestPlist';
import { readStatusPlist, STATUS_PLIST_FILE } from '../format/statusPlist';
import type { BackupPasswordOutcome, BackupPreflightFacts } from './restorePreflightFacts';

/** The files a restorable backup folder must hold, none of them empty (restore-failures.md §6 item 2). */
export const REQUIRED_BACKUP_FILES = [INFO_PLIST_FILE, MANIFEST_PLIST_FILE, MANIFEST_DB_FILE, STATUS_PLIST_FILE] as const;

/**
 * Reads what the restore checks need from a backup folder, on this computer only: which required
 * files are missing or empty, Status.plist's SnapshotState, whether it is encrypted and whether the
 * password opens its keybag (the slow key derivation runs off the main thread), its size, and its
 * facts for the compatibility rules. A folder that is not a backup at all is a UsageError.
 */
export async function readBackupPreflightFacts(backupDir: string, password: string | undefined, options: { signal?: AbortSignal } = {}): Promise<BackupPreflightFacts> {
  const source = await sourceFactsFromBackup(backupDir);
  const compatSource = { ...source.facts };
  const compatNotes = [...source.notes];
  // The rules compare versions numerically; a malformed one must become "unknown", not an error.
  if (typeof compatSource.iosVersion === 'string' && !isIosVersion(compatSource.iosVersion)) {
    compatNotes.push(`The backup names its iOS version as "${compatSource.iosVersion}", which is not a version number.`);
    compatSource.iosVersion = null;
  }

  const missingFiles: string[] = [];
  const emptyFiles: string[] = [];
  for (const name of REQUIRED_BACKUP_FILES) {
    const size = await fileSize(path.join(backupDir, name));
    if (size === undefined) missingFiles.push(name);
    else if (size === 0) emptyFiles.push(name);
  }

  const facts: BackupPreflightFacts = {
    backupDir,
    missingFiles,
    emptyFiles,
    backupInterrupted: (await fileSize(path.join(backupDir, IN_PROGRESS_MARKER))) !== undefined,
    password: { kind: 'not-needed' },
    sizeBytes: (await folderSizeBytes(backupDir)).bytes,
    compatSource,
    compatNotes,
  };
  if (typeof compatSource.udid === 'string') facts.udid = compatSource.udid;
  if (typeof compatSource.iosVersion === 'string') facts.iosVersion = compatSource.iosVersion;
  const deviceName = await readInfoPlist(backupDir).then((info) => info.deviceName ?? info.displayName, () => undefined);
  if (deviceName !== undefined) facts.deviceName = deviceName;

  if (!missingFiles.includes(STATUS_PLIST_FILE) && !emptyFiles.includes(STATUS_PLIST_FILE)) {
    try {
      const status = await readStatusPlist(backupDir);
      if (status.snapshotState !== undefined) facts.snapshotState = status.snapshotState;
    } catch (err) {
      facts.statusProblem = (err as Error).message;
    }
  }

  let manifest: ManifestPlist | undefined;
  try {
    manifest = await readManifestPlist(backupDir);
  } catch (err) {
    facts.password = { kind: 'unknown', reason: (err as Error).message };
  }
  if (manifest) {
    facts.encrypted = isManifestEncrypted(manifest);
    facts.password = facts.encrypted ? await passwordOutcome(manifest, password, options.signal) : { kind: 'not-needed' };
  }
  return facts;
}

/** Checks the password against the keybag on this computer; the password itself never leaves this function. */
async function passwordOutcome(manifest: ManifestPlist, password: string | undefined, signal: AbortSignal | undefined): Promise<BackupPasswordOutcome> {
  if (!manifest.backupKeyBag) return { kind: 'keybag-unreadable', reason: 'Manifest.plist has no BackupKeyBag' };
  if (password === undefined || password === '') return { kind: 'missing' };
  try {
    return (await checkBackupPassword(manifest.backupKeyBag, password, { signal })) ? { kind: 'correct' } : { kind: 'wrong' };
  } catch (err) {
    if (isKeybagCorruptError(err)) return { kind: 'keybag-unreadable', reason: err.detail };
    throw err;
  }
}

/** Size of a regular file, or undefined when there is none (a folder or a missing path). */
async function fileSize(file: string): Promise<number | undefined> {
  try {
    const stats = await fs.stat(file);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
}
