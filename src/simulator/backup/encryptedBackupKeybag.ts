import { createKeybag, parseKeybag, unlockKeybagWithPassword, type ClassKeys } from '../../backup/crypto';
import { compareIosVersions } from '../../common/iosVersion';
import type { VirtualDevice } from '../virtualDevice';
import { loadBackupEncryptionSettings, saveBackupEncryptionSettings } from './encryptedBackupSettings';

/** A device's backup keybag: its TLV (Manifest.plist BackupKeyBag) and the class keys it wraps. */
export interface DeviceBackupKeybag {
  readonly bytes: Buffer;
  readonly classKeys: ClassKeys;
}

/**
 * True from iOS 10.2, which added the PBKDF2-HMAC-SHA256 stage to the keybag (DPSL/DPIC) and the
 * encrypted Manifest.db (ManifestKey); older devices derive with PBKDF2-HMAC-SHA1 only and leave
 * Manifest.db in the clear (docs/protocol/backup-format.md#password-key-derivation, docs/protocol/backup-format.md#manifestkey).
 */
export function usesIos102BackupCrypto(productVersion: string): boolean {
  return compareIosVersions(productVersion, '10.2') >= 0;
}

/** The keybag of one password, or the derivation that is making it. */
interface CachedKeybag {
  readonly password: string;
  readonly keybag: Promise<DeviceBackupKeybag>;
}

/**
 * One keybag per device and password. A real device keeps its backup keybag until the password
 * changes, so every encrypted backup carries the same BackupKeyBag and the host's previous backup
 * stays readable to the device (incremental encrypted backups); deriving it anew for each backup
 * would also cost seconds with the real iteration counts.
 */
const keybags = new WeakMap<VirtualDevice, CachedKeybag>();

/** The keybag for the device's current backup password: cached, else the one kept in the state dir, else a new one. */
export function deviceBackupKeybag(device: VirtualDevice): Promise<DeviceBackupKeybag> {
  const password = device.backupPassword;
  if (password === null) return Promise.reject(new Error('The device has no backup password, so it has no backup keybag.'));
  const cached = keybags.get(device);
  if (cached && cached.password === password) return cached.keybag;
  const keybag = loadOrCreateKeybag(device, password);
  keybags.set(device, { password, keybag });
  // A failed derivation is not remembered: the next backup tries again.
  keybag.catch(() => {
    if (keybags.get(device)?.keybag === keybag) keybags.delete(device);
  });
  return keybag;
}

/** Drops the device's keybag: after a password change the next encrypted backup gets a new one. */
export function forgetDeviceBackupKeybag(device: VirtualDevice): void {
  keybags.delete(device);
}

async function loadOrCreateKeybag(device: VirtualDevice, password: string): Promise<DeviceBackupKeybag> {
  const log = device.logger.child('keybag');
  const stored = loadBackupEncryptionSettings(device.state.dir, device.spec);
  if (stored.keybag && stored.backupPassword === password) {
    try {
      const classKeys = await unlockKeybagWithPassword(parseKeybag(stored.keybag), password);
      log.debug('backup keybag restored from the state dir');
      return { bytes: stored.keybag, classKeys };
    } catch (err) {
      log.warn('the stored backup keybag does not open with the current password; making a new one', { reason: (err as Error).name });
    }
  }
  const { sha256, sha1 } = device.spec.keybagIterations;
  const legacyDerivation = !usesIos102BackupCrypto(device.spec.productVersion);
  const created = await createKeybag({ password, iterations: sha1, dpIterations: sha256, legacyDerivation });
  // The password may have changed while the key was derived; a keybag for an old password is not kept.
  if (device.backupPassword === password) {
    saveBackupEncryptionSettings(device.state.dir, device.spec, {
      backupPassword: password,
      resetAllSettingsQuirkArmed: device.resetAllSettingsQuirkArmed,
      keybag: created.bytes,
    });
  }
  log.info('backup keybag created', { sha256Iterations: legacyDerivation ? 0 : sha256, sha1Iterations: sha1, classes: created.classKeys.size });
  return { bytes: created.bytes, classKeys: created.classKeys };
}
