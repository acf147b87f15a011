import { pipeline, type Readable } from 'node:stream';
import { BackupError, isCancelledError } from '../../common/errors';
import {
  createFileDecryptStream,
  decryptManifestDb,
  parseKeybag,
  unlockKeybagWithPassword,
  unwrapFileKey,
  unwrapManifestKey,
  type ClassKeys,
} from '.';
import { openContentFile, readManifestDbBytes, type BackupContentSource, type BackupEntry } from '../format/backupReader';
import { readManifestPlist } from '../format/manifestPlist';

/** An unlocked encrypted backup: the class keys plus a content source that decrypts on the fly. */
export interface UnlockedBackup {
  classKeys: ClassKeys;
  source: BackupContentSource;
  /** False for keybags from before iOS 10.2, whose Manifest.db is not encrypted. */
  hasManifestKey: boolean;
}

/**
 * Unlocks an encrypted backup with its password (the key derivation runs off the main thread) and
 * returns a source that serves the decrypted Manifest.db and file contents as streams.
 * A wrong password rejects with WrongPasswordError; a damaged keybag with KeybagCorruptError.
 */
export async function unlockEncryptedBackup(backupDir: string, password: string, signal?: AbortSignal): Promise<UnlockedBackup> {
  const { manifestKey, classKeys } = await deriveClassKeys(backupDir, password, signal);
  return unlockedBackup(backupDir, manifestKey, classKeys);
}

/** An encrypted backup's password, derived once, for several readers of the backup at the same time. */
export interface BackupUnlocker {
  /**
   * An UnlockedBackup over its own copy of the class keys (its reader may wipe them when done); throws what
   * unlocking threw (WrongPasswordError, KeybagCorruptError, …), as unlockEncryptedBackup would.
   */
  unlock(): UnlockedBackup;
  /** Wipes the keys kept for further readers. */
  wipe(): void;
}

/**
 * Derives the password key once (the expensive step: seconds on a real keybag) for readers that would
 * each unlock the backup: the restore checks' inspection and quick health check. Only a cancellation
 * rejects; any other failure is what every unlock() then throws.
 */
export async function prepareBackupUnlocker(backupDir: string, password: string, signal?: AbortSignal): Promise<BackupUnlocker> {
  let derived: { manifestKey: Buffer | undefined; classKeys: ClassKeys };
  try {
    derived = await deriveClassKeys(backupDir, password, signal);
  } catch (err) {
    if (isCancelledError(err)) throw err;
    return { unlock: () => { throw err; }, wipe: () => undefined };
  }
  const { manifestKey, classKeys } = derived;
  return {
    unlock: () => unlockedBackup(backupDir, manifestKey, new Map([...classKeys].map(([protectionClass, key]) => [protectionClass, Buffer.from(key)]))),
    wipe: () => {
      for (const key of classKeys.values()) key.fill(0);
    },
  };
}

async function deriveClassKeys(backupDir: string, password: string, signal: AbortSignal | undefined): Promise<{ manifestKey: Buffer | undefined; classKeys: ClassKeys }> {
  const manifest = await readManifestPlist(backupDir);
  if (!manifest.backupKeyBag) {
    throw new BackupError(`The backup at ${backupDir} is marked encrypted but its Manifest.plist has no BackupKeyBag, so it cannot be decrypted.`, 'backup.keybag-missing');
  }
  const keybag = parseKeybag(manifest.backupKeyBag);
  return { manifestKey: manifest.manifestKey, classKeys: await unlockKeybagWithPassword(keybag, password, { signal }) };
}

function unlockedBackup(backupDir: string, manifestKey: Buffer | undefined, classKeys: ClassKeys): UnlockedBackup {
  const source: BackupContentSource = {
    async readManifestDb() {
      const bytes = await readManifestDbBytes(backupDir);
      // Before iOS 10.2 there is no ManifestKey and Manifest.db is stored in the clear.
      if (!manifestKey) return bytes;
      return decryptManifestDb(bytes, unwrapManifestKey(manifestKey, classKeys));
    },
    async openFile(entry: BackupEntry): Promise<Readable> {
      const blob = entry.record?.encryptionKey;
      if (!blob) {
        throw new BackupError(`${entry.domain}/${entry.relativePath} has no EncryptionKey in Manifest.db, so it cannot be decrypted.`, 'backup.file-key-missing');
      }
      const fileKey = unwrapFileKey(blob, classKeys, { subject: `${entry.domain}/${entry.relativePath}` });
      const content = await openContentFile(backupDir, entry);
      const decrypted = createFileDecryptStream(fileKey, { subject: `${entry.domain}/${entry.relativePath}` });
      // pipeline, unlike pipe, hands a read error on to the decrypted stream (its reader sees it) and
      // closes the file; the reader of `decrypted` reports the error, so the callback has nothing to add.
      pipeline(content, decrypted, () => undefined);
      return decrypted;
    },
  };
  return { classKeys, source, hasManifestKey: manifestKey !== undefined };
}
