import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createFileKey, createKeybag, createManifestKey, encryptFileData, encryptManifestDb } from '../../src/backup/crypto';
import { hashedFilePath } from '../../src/backup/format/fileId';
import { MANIFEST_DB_FILE, MANIFEST_FLAGS } from '../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../src/backup/format/manifestDbBuilder';
import { encodeManifestPlist, MANIFEST_PLIST_FILE } from '../../src/backup/format/manifestPlist';
import { encodeMbFile } from '../../src/backup/format/mbFile';
import { testManifest, TEST_UDID } from './testBackupBuilder';

export const PASSWORD = 'correct horse ✓';

/** The files of the test backup, plain. */
export const FILES = [
  { domain: 'HomeDomain', relativePath: 'Library/Notes/notes.sqlite', content: Buffer.alloc(70_001, 7) },
  { domain: 'KeychainDomain', relativePath: 'keychain-backup.plist', content: Buffer.from('secret keychain bytes') },
  { domain: 'MediaDomain', relativePath: 'Media/empty', content: Buffer.alloc(0) },
];

/** Writes an encrypted backup as a device does: keybag, ManifestKey, encrypted Manifest.db and files. */
export async function writeEncryptedBackup(root: string, options: { legacy?: boolean; staleSize?: boolean } = {}): Promise<string> {
  const dir = path.join(root, TEST_UDID);
  await fs.mkdir(dir, { recursive: true });
  const keybag = await createKeybag({ password: PASSWORD, iterations: 10, dpIterations: 100, legacyDerivation: options.legacy });
  const db = await ManifestDbBuilder.create();
  for (const f of FILES) {
    const { fileKey, encryptionKey } = createFileKey(3, keybag.classKeys);
    const fileID = db.put({
      domain: f.domain,
      relativePath: f.relativePath,
      flags: MANIFEST_FLAGS.file,
      file: encodeMbFile({ relativePath: f.relativePath, size: options.staleSize ? 5 : f.content.length, mode: 0o100644, protectionClass: 3, encryptionKey }),
    });
    const target = hashedFilePath(dir, fileID);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, encryptFileData(fileKey, f.content));
  }
  const plainDb = db.serialize();
  db.close();
  const manifest = { ...testManifest(), isEncrypted: true, backupKeyBag: keybag.bytes };
  if (options.legacy) {
    await fs.writeFile(path.join(dir, MANIFEST_DB_FILE), plainDb);
  } else {
    const { manifestDbKey, manifestKey } = createManifestKey(keybag.classKeys);
    const padded = Buffer.concat([plainDb, Buffer.alloc((16 - (plainDb.length % 16)) % 16)]);
    await fs.writeFile(path.join(dir, MANIFEST_DB_FILE), encryptManifestDb(padded, manifestDbKey));
    Object.assign(manifest, { manifestKey });
  }
  await fs.writeFile(path.join(dir, MANIFEST_PLIST_FILE), encodeManifestPlist(manifest));
  return dir;
}

