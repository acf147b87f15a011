import { isManifestEncrypted, type ManifestPlist } from '../../backup/format/manifestPlist';
import type { DatasetEntry } from '../dataset/simulatedDataset';
import type { VirtualDevice } from '../virtualDevice';
import { encryptedBackupProtection } from './encryptedBackupProtection';

/** The host's previous backup as a protection reads it: its plain Manifest.db, or why it cannot be the base of an increment. */
export type PreviousManifestDb = { manifestDb: Buffer } | { reason: string };

/** How one uploaded file is protected: the MBFile EncryptionKey to record and its stored bytes. */
export interface ProtectedFile {
  /** 4-byte class + wrapped key for Manifest.db (encrypted backups only). */
  encryptionKey?: Buffer;
  /** The bytes written to the backup, from the plaintext chunks. */
  content(plaintext: Iterable<Buffer>): Iterable<Buffer>;
}

/**
 * The seam where backup encryption plugs in. The backup session asks it for the Manifest.plist
 * keys, for each uploaded file's protection, and for the stored form of Manifest.db; an encrypted
 * implementation (keybag, per-file keys, ManifestKey from src/backup/crypto) supplies the same.
 */
export interface BackupProtection {
  /** Written to Manifest.plist IsEncrypted. */
  readonly isEncrypted: boolean;
  /** Keys added to Manifest.plist (BackupKeyBag, ManifestKey) when encrypted. */
  manifestKeys(): { backupKeyBag?: Buffer; manifestKey?: Buffer };
  /** Protection of one uploaded dataset file. */
  protectFile(entry: DatasetEntry): ProtectedFile;
  /** Manifest.db as stored in the backup. */
  sealManifestDb(plain: Buffer): Buffer;
  /**
   * Reads the host's previous Manifest.db, if that backup was protected the same way; a backup
   * protected otherwise (encrypted, or with another keybag) cannot be built on, so the first backup
   * after the encryption state changes is a full one.
   */
  openPreviousManifestDb(manifest: ManifestPlist, stored: Buffer): PreviousManifestDb;
}

/** Unencrypted backups: content and Manifest.db are stored as they are. */
export const PLAIN_BACKUP_PROTECTION: BackupProtection = {
  isEncrypted: false,
  manifestKeys: () => ({}),
  protectFile: () => ({ content: (plaintext) => plaintext }),
  sealManifestDb: (plain) => plain,
  openPreviousManifestDb: (manifest, stored) => (isManifestEncrypted(manifest) ? { reason: 'the previous backup is encrypted' } : { manifestDb: stored }),
};

/** Chooses how this device protects a backup, or undefined when it has no way to honour WillEncrypt. */
export type BackupProtectionFactory = (device: VirtualDevice) => Promise<BackupProtection | undefined>;

/** The protection available to devices without a backup password (encrypted devices need a plugged-in factory). */
export const plainProtectionOnly: BackupProtectionFactory = async (device) => (device.backupPassword === null ? PLAIN_BACKUP_PROTECTION : undefined);

/** How a simulated device protects its backups: as they are without a password, encrypted with its keybag (WillEncrypt) otherwise. */
export const deviceBackupProtection: BackupProtectionFactory = async (device) =>
  device.backupPassword === null ? PLAIN_BACKUP_PROTECTION : encryptedBackupProtection(device);
