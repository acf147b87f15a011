import {
  decryptManifestDb,
  isKeybagCorruptError,
  isWrongPasswordError,
  parseKeybag,
  unlockKeybagWithPassword,
  unwrapManifestKey,
  type ClassKeys,
} from '../../backup/crypto';
import type { ManifestPlist } from '../../backup/format/manifestPlist';
import { invalidPasswordFailure, unreadablePropertiesFailure } from './restoreFailures';

/**
 * Unlocks an encrypted backup's keybag with the password the host sent, as the device checks it
 * (MKBKeyBagUnlock): the key derivation runs off the main thread, a missing or wrong password ends
 * the restore with 207, a keybag that cannot be parsed with 205. The password is never logged.
 */
export async function unlockBackupKeybag(manifest: ManifestPlist, password: string | undefined): Promise<ClassKeys> {
  if (!manifest.backupKeyBag) throw unreadablePropertiesFailure('Manifest.plist', 'the backup is encrypted but has no BackupKeyBag');
  let keybag;
  try {
    keybag = parseKeybag(manifest.backupKeyBag);
  } catch (err) {
    throw unreadablePropertiesFailure('Manifest.plist', `its BackupKeyBag is damaged: ${(err as Error).message}`);
  }
  if (password === undefined) throw invalidPasswordFailure(false);
  try {
    return await unlockKeybagWithPassword(keybag, password);
  } catch (err) {
    if (isWrongPasswordError(err)) throw invalidPasswordFailure(true);
    if (isKeybagCorruptError(err)) throw unreadablePropertiesFailure('Manifest.plist', `its BackupKeyBag is damaged: ${err.detail}`);
    throw err;
  }
}

/** Manifest.db as SQLite bytes: decrypted with ManifestKey when the backup has one (iOS 10.2+), as stored otherwise. */
export function plainManifestDb(stored: Buffer, manifest: ManifestPlist, classKeys: ClassKeys | undefined): Buffer {
  if (!classKeys || !manifest.manifestKey) return stored;
  try {
    return decryptManifestDb(stored, unwrapManifestKey(manifest.manifestKey, classKeys));
  } catch (err) {
    throw unreadablePropertiesFailure('Manifest.db', `it does not decrypt with the backup's keys: ${(err as Error).message}`);
  }
}
