import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackupError, CancelledError, isCancelledError } from '../../common/errors';
import { AES_BLOCK_BYTES, isWrongPasswordError, type ClassKeys } from '../crypto';
import { unlockEncryptedBackup, type BackupUnlocker } from '../crypto/encryptedBackupSource';
import { readManifestDbBytes } from '../format/backupReader';
import { MANIFEST_DB_FILE, MANIFEST_FLAGS, ManifestDb } from '../format/manifestDb';
import { MANIFEST_PLIST_FILE } from '../format/manifestPlist';
import { isRegularFileError, openRegularFile } from '../format/regularFile';
import type { BackupHealth } from './backupHealth';
import { checkContentFile } from './contentFileCheck';
import { checkFolderPlists, type FolderPlists } from './folderPlists';
import { forEachConcurrently } from '../../common/concurrently';
import { HealthFindings } from './healthFindings';
import { ReadBuffers } from './readBuffers';
import { ShardFolders } from './shardFolders';

/** How far {@link verifyBackup} has got through the content files. */
export interface VerifyProgress {
  filesChecked: number;
  filesTotal: number;
  bytesChecked: number;
}

/** Options of {@link verifyBackup}. */
export interface VerifyBackupOptions {
  /** 'quick': the folder's plists and Manifest.db; 'full': every content file too. */
  level: 'quick' | 'full';
  /** The backup password; without it an encrypted backup's Manifest.db and files cannot be checked. */
  password?: string;
  /** The password already derived by the caller for several readers; used instead of `password`. */
  unlocker?: BackupUnlocker;
  /** Aborting stops the check with a CancelledError. */
  signal?: AbortSignal;
  onProgress?: (progress: VerifyProgress) => void;
}

/**
 * Content files checked at once. One file at a time leaves the disk idle while a file is opened and while
 * AES runs; four keep libuv's thread pool (four threads by default) busy without queueing behind itself.
 */
export const VERIFY_CONCURRENT_FILES = 4;

const OPERATION = 'Checking the backup';

/**
 * The health check of a backup folder. Quick: Info.plist, Manifest.plist and Status.plist parse and agree,
 * Status says the backup finished, Manifest.db is there and opens (decrypted when encrypted and a password
 * is given). Full: also every `Files` row with flags 1 (see checkContentFile). Damage is reported, never
 * thrown; a wrong password is thrown as WrongPasswordError before any file is looked at, and a folder that
 * does not exist as a BackupError.
 */
export async function verifyBackup(backupDir: string, options: VerifyBackupOptions): Promise<BackupHealth> {
  const { level, signal } = options;
  throwIfAborted(signal);
  const isFolder = await fs.stat(backupDir).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw new BackupError(`Cannot check the backup at ${backupDir} because it is not a folder that exists.`, 'backup.folder-unreadable');
  const findings = new HealthFindings();
  const plists = await checkFolderPlists(backupDir, findings);
  throwIfAborted(signal);
  const opened = await openManifestDb(backupDir, plists, options, findings);
  const progress: VerifyProgress = { filesChecked: 0, filesTotal: 0, bytesChecked: 0 };
  let covered = true;
  try {
    if (level === 'full' && opened !== undefined) {
      progress.filesTotal = await opened.db.count({ flags: MANIFEST_FLAGS.file });
      options.onProgress?.({ ...progress });
      const context = { backupDir, classKeys: opened.classKeys, signal, findings, buffers: new ReadBuffers(), shards: new ShardFolders() };
      await forEachConcurrently(opened.db.iterateEntries({ flags: MANIFEST_FLAGS.file }), VERIFY_CONCURRENT_FILES, async (entry) => {
        throwIfAborted(signal);
        // Added after the await: `total += await …` would read the total before the file and lose the others' bytes.
        const bytes = await checkContentFile(entry, context);
        progress.bytesChecked += bytes;
        progress.filesChecked++;
        options.onProgress?.({ ...progress });
      });
      // The last files may have finished after the abort; a cancelled check never passes for a whole one.
      throwIfAborted(signal);
    } else if (level === 'full' && plists.encrypted === true && options.password === undefined && options.unlocker === undefined) {
      findings.skipped('The content files were not checked because the backup is encrypted and the full check needs its password');
      covered = false;
    }
  } catch (err) {
    if (signal?.aborted && !isCancelledError(err)) throw new CancelledError(OPERATION);
    throw err;
  } finally {
    opened?.db.close();
    for (const key of opened?.classKeys?.values() ?? []) key.fill(0);
  }
  return findings.report({ backupDir, level, encrypted: plists.encrypted, filesChecked: progress.filesChecked, bytesChecked: progress.bytesChecked }, covered);
}

/** An opened Manifest.db and, for an encrypted backup, the class keys its files need. */
interface OpenedManifest {
  db: ManifestDb;
  classKeys?: ClassKeys;
}

/**
 * Opens Manifest.db (unlocking an encrypted backup first), or reports why it cannot be and returns undefined.
 * Only a wrong password and a cancellation are thrown.
 */
async function openManifestDb(backupDir: string, plists: FolderPlists, options: VerifyBackupOptions, findings: HealthFindings): Promise<OpenedManifest | undefined> {
  let bytes: Uint8Array;
  let classKeys: ClassKeys | undefined;
  if (plists.encrypted === true) {
    if (options.password === undefined && options.unlocker === undefined) {
      await checkEncryptedManifestDbShape(backupDir, findings);
      findings.skipped('Manifest.db was not opened because the backup is encrypted and no password was given');
      return undefined;
    }
    if (plists.manifest?.backupKeyBag === undefined) {
      findings.problem(null, MANIFEST_PLIST_FILE, 'Manifest.plist says the backup is encrypted but holds no BackupKeyBag, so nothing in it can be decrypted');
      return undefined;
    }
    try {
      const unlocked = options.unlocker?.unlock() ?? (await unlockEncryptedBackup(backupDir, options.password as string, options.signal));
      classKeys = unlocked.classKeys;
      bytes = await unlocked.source.readManifestDb();
    } catch (err) {
      wipe(classKeys);
      if (isWrongPasswordError(err) || isCancelledError(err) || !(err instanceof BackupError)) throw err;
      // The keybag is read from Manifest.plist; everything after it concerns Manifest.db.
      findings.problem(null, classKeys === undefined ? MANIFEST_PLIST_FILE : MANIFEST_DB_FILE, err.message);
      return undefined;
    }
  } else {
    try {
      bytes = await readManifestDbBytes(backupDir);
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      findings.problem(null, MANIFEST_DB_FILE, err.message);
      return undefined;
    }
    if (bytes.byteLength === 0) {
      findings.problem(null, MANIFEST_DB_FILE, 'Manifest.db is empty, so the backup has no list of its files');
      return undefined;
    }
  }
  try {
    return { db: await ManifestDb.open(bytes, { origin: backupDir, signal: options.signal, handOver: true }), classKeys };
  } catch (err) {
    wipe(classKeys);
    if (isCancelledError(err) || !(err instanceof BackupError)) throw err;
    findings.problem(null, MANIFEST_DB_FILE, err.message);
    return undefined;
  }
}

/** Without the password, an encrypted Manifest.db can still be seen to exist and to be whole AES blocks. */
async function checkEncryptedManifestDbShape(backupDir: string, findings: HealthFindings): Promise<void> {
  try {
    const { handle, size } = await openRegularFile(path.join(backupDir, MANIFEST_DB_FILE), { root: backupDir, describe: MANIFEST_DB_FILE });
    await handle.close().catch(() => undefined);
    if (size === 0) findings.problem(null, MANIFEST_DB_FILE, 'Manifest.db is empty, so the backup has no list of its files');
    else if (size % AES_BLOCK_BYTES !== 0) {
      findings.problem(null, MANIFEST_DB_FILE, `Manifest.db is ${size} bytes long, not a whole number of ${AES_BLOCK_BYTES}-byte AES blocks, so it is cut short`);
    }
  } catch (err) {
    if (!isRegularFileError(err) && !(err instanceof BackupError)) throw err;
    findings.problem(null, MANIFEST_DB_FILE, err.message);
  }
}

function wipe(classKeys: ClassKeys | undefined): void {
  for (const key of classKeys?.values() ?? []) key.fill(0);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError(OPERATION);
}
