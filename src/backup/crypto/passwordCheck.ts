import { aesKeyUnwrap } from './aesKeyWrap';
import { isKeyUnwrapIntegrityError } from './cryptoErrors';
import { passwordWrappedClassKeys } from './keybag';
import { parseKeybag, type BackupKeybag } from './keybagTlv';
import { deriveKeyInWorker, passwordKeyParams, type DeriveKeyOptions } from './passwordKey';

/*
 * The cheap password check: derive the password key (the expensive part, off the main thread) and
 * unwrap a single class key. A wrong password fails the RFC 3394 integrity check; no file, not even
 * Manifest.db, is read.
 */

/** True when the password opens the keybag (raw TLV bytes or parsed); corrupt keybags still throw. */
export async function checkBackupPassword(
  keybag: BackupKeybag | Uint8Array,
  password: string,
  options: DeriveKeyOptions = {},
): Promise<boolean> {
  const parsed = keybag instanceof Uint8Array ? parseKeybag(keybag) : keybag;
  const [probe] = passwordWrappedClassKeys(parsed);
  const passwordKey = await deriveKeyInWorker(passwordKeyParams(parsed.header, password), options);
  try {
    aesKeyUnwrap(passwordKey, probe.wrappedKey).fill(0);
    return true;
  } catch (error) {
    if (isKeyUnwrapIntegrityError(error)) return false;
    throw error;
  } finally {
    passwordKey.fill(0);
  }
}
