import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { BackupError } from '../../errors';
import {
  createFileDecryptStream,
  decryptManifestDb,
  parseKeybag,
  unlockKeybagWithPassword,
  unwrapFileKey,
  unwrapManifestKey,
  type ClassKeys,
} from '../crypto';
import type { BackupContentSource, BackupEntry } from '../format/backupReader';
import { hashedFilePath } from '../format/fileId';
import { MANIFEST_DB_FILE } from '../format/manifestDb';
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
  const manifest = await readManifestPlist(backupDir);
  if (!manifest.backupKeyBag) {
    throw new BackupError(`The backup at ${backupDir} is marked encrypted but its Manifest.plist has no BackupKeyBag, so it cannot be decrypted.`, 'backup.keybag-missing');
  }
  const keybag = parseKeybag(manifest.backupKeyBag);
  const classKeys = await unlockKeybagWithPassword(keybag, password, { signal });
  const manifestKey = manifest.manifestKey;
  const source: BackupContentSource = {
    async readManifestDb() {
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(path.join(backupDir, MANIFEST_DB_FILE));
      } catch (cause) {
        throw new BackupError(`Cannot read ${MANIFEST_DB_FILE} in ${backupDir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}.`, 'backup.manifest-db-unreadable', undefined, { cause });
      }
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
      const handle = await fs.open(hashedFilePath(backupDir, entry.fileID), 'r');
      return handle.createReadStream().pipe(createFileDecryptStream(fileKey, { subject: `${entry.domain}/${entry.relativePath}` }));
    },
  };
  return { classKeys, source, hasManifestKey: manifestKey !== undefined };
}
