import { AES_BLOCK_BYTES, createFileKey, createManifestKey, decryptManifestDb, encryptManifestDb, unwrapManifestKey, type NewManifestKey } from '../../backup/crypto';
import { createZeroIvCipher } from '../../backup/crypto/cbcZeroIv';
import { isManifestEncrypted, type ManifestPlist } from '../../backup/format/manifestPlist';
import type { DatasetEntry } from '../dataset/simulatedDataset';
import type { VirtualDevice } from '../virtualDevice';
import type { BackupProtection, PreviousManifestDb, ProtectedFile } from './backupProtection';
import { deviceBackupKeybag, usesIos102BackupCrypto, type DeviceBackupKeybag } from './encryptedBackupKeybag';

/**
 * One encrypted backup, as a device with WillEncrypt makes it (docs/protocol/backup-format.md#encrypted-backups): Manifest.plist
 * carries the device's keybag and a ManifestKey (a fresh Manifest.db key wrapped with a class key),
 * Manifest.db is AES-256-CBC encrypted with that key, and every file gets its own random key,
 * wrapped with its protection class's key into the MBFile EncryptionKey, its content AES-256-CBC
 * encrypted with PKCS#7 padding as it streams out. Devices before iOS 10.2 write no ManifestKey and
 * leave Manifest.db in the clear.
 */
export class EncryptedBackupProtection implements BackupProtection {
  readonly isEncrypted = true;
  /** The Manifest.db key of this backup; undefined before iOS 10.2. */
  private readonly manifest: NewManifestKey | undefined;

  constructor(
    private readonly keybag: DeviceBackupKeybag,
    options: { encryptManifestDb: boolean } = { encryptManifestDb: true },
  ) {
    this.manifest = options.encryptManifestDb ? createManifestKey(keybag.classKeys) : undefined;
  }

  manifestKeys(): { backupKeyBag: Buffer; manifestKey?: Buffer } {
    return { backupKeyBag: this.keybag.bytes, ...(this.manifest ? { manifestKey: this.manifest.manifestKey } : {}) };
  }

  protectFile(entry: DatasetEntry): ProtectedFile {
    const { fileKey, encryptionKey } = createFileKey(entry.protectionClass, this.keybag.classKeys);
    return { encryptionKey, content: (plaintext) => encryptChunks(fileKey, plaintext) };
  }

  sealManifestDb(plain: Buffer): Buffer {
    return this.manifest ? encryptManifestDb(padToBlock(plain), this.manifest.manifestDbKey) : plain;
  }

  openPreviousManifestDb(manifest: ManifestPlist, stored: Buffer): PreviousManifestDb {
    if (!isManifestEncrypted(manifest)) return { reason: 'the previous backup is not encrypted' };
    // The keybag changes with the password: files wrapped with another one cannot be carried over.
    if (!manifest.backupKeyBag || !manifest.backupKeyBag.equals(this.keybag.bytes)) return { reason: 'the previous backup was encrypted with another backup password' };
    if (!this.manifest) return manifest.manifestKey ? { reason: 'the previous backup has a ManifestKey this device does not write' } : { manifestDb: stored };
    if (!manifest.manifestKey) return { reason: 'the previous backup has no ManifestKey' };
    try {
      return { manifestDb: decryptManifestDb(stored, unwrapManifestKey(manifest.manifestKey, this.keybag.classKeys)) };
    } catch {
      return { reason: "the host's Manifest.db does not decrypt with the device's keys" };
    }
  }
}

/** The encrypted protection for a device's next backup, with its (cached) keybag. */
export async function encryptedBackupProtection(device: VirtualDevice): Promise<BackupProtection> {
  return new EncryptedBackupProtection(await deviceBackupKeybag(device), { encryptManifestDb: usesIos102BackupCrypto(device.spec.productVersion) });
}

/**
 * Encrypts content chunk by chunk (constant memory). CBC only holds back a partial block, so a
 * 32 KiB chunk never becomes more than 32 KiB of ciphertext; the final block carries the padding.
 */
function* encryptChunks(fileKey: Buffer, plaintext: Iterable<Buffer>): Generator<Buffer> {
  const cipher = createZeroIvCipher(fileKey, true);
  for (const chunk of plaintext) {
    const encrypted = cipher.update(chunk);
    if (encrypted.length > 0) yield encrypted;
  }
  yield cipher.final();
}

/**
 * Manifest.db is encrypted without padding, so it must fill whole AES blocks. SQLite writes whole
 * pages, which always do; should a serialiser ever not, zero bytes complete the last block, which
 * SQLite ignores beyond its recorded page count.
 */
function padToBlock(plain: Buffer): Buffer {
  const remainder = plain.length % AES_BLOCK_BYTES;
  return remainder === 0 ? plain : Buffer.concat([plain, Buffer.alloc(AES_BLOCK_BYTES - remainder)]);
}
