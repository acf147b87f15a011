import { promises as fs } from 'node:fs';
import { BackupReader } from '../backup/format/backupReader';
import { isEncryptedBackupError } from '../backup/format/formatErrors';
import { readManifestPlist } from '../backup/format/manifestPlist';
import { PLIST_UNREADABLE_CODE } from '../backup/format/plistDocument';
import { isRegularFileError } from '../backup/format/regularFile';
import { unlockEncryptedBackup } from '../backup/crypto/encryptedBackupSource';
import { BackupError, isCancelledError } from '../common/errors';
import type { CliContext } from './context';
import { requiredBackupPassword } from './passwords';

/**
 * Opens a backup for reading. An encrypted one is unlocked with its password (IOSBR_PASSWORD or
 * --password-stdin) before anything is read or written; without a password the user is told how
 * to give it, and what to do when it is forgotten.
 */
export async function openBackupReader(backupDir: string, ctx: CliContext): Promise<BackupReader> {
  const isFolder = await fs.stat(backupDir).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw new BackupError(`Cannot read the backup at ${backupDir} because it is not a folder that exists.`, 'backup.folder-unreadable');
  try {
    return await BackupReader.open(backupDir, undefined, ctx.signal);
  } catch (err) {
    if (!isEncryptedBackupError(err)) throw await naming(backupDir, err);
  }
  const password = await requiredBackupPassword(ctx, `The backup at ${backupDir} is encrypted.`);
  const unlocked = await unlockEncryptedBackup(backupDir, password, ctx.signal);
  return BackupReader.open(backupDir, unlocked.source, ctx.signal);
}

/**
 * The reader goes on to Manifest.db when Manifest.plist cannot be read (the database alone can list a
 * plain backup), so its failure names Manifest.db. When Manifest.plist is the damaged file, the
 * engineer must read that first: a sentence about Manifest.db alone would send them to the wrong file.
 */
async function naming(backupDir: string, databaseError: unknown): Promise<unknown> {
  if (!(databaseError instanceof BackupError) || isCancelledError(databaseError)) return databaseError;
  try {
    await readManifestPlist(backupDir);
    return databaseError;
  } catch (plistError) {
    if (!(plistError instanceof BackupError) || plistError.code !== PLIST_UNREADABLE_CODE) return databaseError;
    if (isMissing(plistError.cause) && isMissing(databaseError)) {
      return new BackupError(
        `Cannot read the backup at ${backupDir} because it holds neither Manifest.plist nor Manifest.db; a backup folder is the one named by the device's UDID.`,
        'backup.folder-unreadable',
      );
    }
    const second = databaseError.message.charAt(0).toLowerCase() + databaseError.message.slice(1);
    return new BackupError(
      `${plistError.message.replace(/\.$/, '')}, and Manifest.db cannot stand in for it: ${second}`,
      plistError.code,
      undefined,
      { cause: plistError },
    );
  }
}

const isMissing = (err: unknown): boolean => isRegularFileError(err) && err.kind === 'missing';
