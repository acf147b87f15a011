import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { aesKeyUnwrap } from '../../../../src/backup/crypto/aesKeyWrap';
import { isClassKeyMissingError, isEncryptedDataCorruptError } from '../../../../src/backup/crypto/cryptoErrors';
import { createKeybag, unlockKeybagWithPassword } from '../../../../src/backup/crypto/keybag';
import {
  DEFAULT_MANIFEST_PROTECTION_CLASS,
  createManifestKey,
  decryptManifestDb,
  encryptManifestDb,
  unwrapManifestKey,
} from '../../../../src/backup/crypto/manifestKey';
import { parseKeybag } from '../../../../src/backup/crypto/keybagTlv';
import { thrownBy } from './cryptoTestSupport';

/** Bytes shaped like an SQLite file: the 16-byte magic header, then page-aligned content. */
function fakeSqliteFile(pages: number): Buffer {
  const file = randomBytes(4096 * pages);
  Buffer.from('SQLite format 3\0', 'latin1').copy(file, 0);
  return file;
}

describe('backup/crypto manifestKey', () => {
  it('goes from password to decrypted Manifest.db, as a reader of a real backup does', async () => {
    // Device side: keybag, ManifestKey, encrypted Manifest.db.
    const device = await createKeybag({ password: 'backup pw', iterations: 4, dpIterations: 4 });
    const { manifestDbKey, manifestKey } = createManifestKey(device.classKeys);
    const plaintext = fakeSqliteFile(3);
    const encrypted = encryptManifestDb(plaintext, manifestDbKey);
    assert.equal(encrypted.length, plaintext.length, 'no padding is added');
    // Host side: only bytes and the password.
    const classKeys = await unlockKeybagWithPassword(parseKeybag(device.bytes), 'backup pw');
    const key = unwrapManifestKey(manifestKey, classKeys);
    assert.deepEqual(decryptManifestDb(encrypted, key), plaintext);
  });

  it('writes ManifestKey as 4-byte LE class + RFC 3394-wrapped key, class 3 by default', () => {
    const classKeys = new Map([
      [3, randomBytes(32)],
      [4, randomBytes(32)],
    ]);
    assert.equal(DEFAULT_MANIFEST_PROTECTION_CLASS, 3);
    const { manifestDbKey, manifestKey } = createManifestKey(classKeys);
    assert.deepEqual(manifestKey.subarray(0, 4), Buffer.from([3, 0, 0, 0]));
    assert.deepEqual(aesKeyUnwrap(classKeys.get(3)!, manifestKey.subarray(4)), manifestDbKey);
    const other = createManifestKey(classKeys, 4);
    assert.deepEqual(other.manifestKey.subarray(0, 4), Buffer.from([4, 0, 0, 0]));
    assert.deepEqual(unwrapManifestKey(other.manifestKey, classKeys), other.manifestDbKey);
  });

  it('encrypts with AES-256-CBC and a zero IV, as OpenSSL computes it', () => {
    const key = randomBytes(32);
    const plaintext = fakeSqliteFile(1);
    const decipher = createDecipheriv('aes-256-cbc', key, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    const encrypted = encryptManifestDb(plaintext, key);
    assert.deepEqual(Buffer.concat([decipher.update(encrypted), decipher.final()]), plaintext);
  });

  it('reports an empty, truncated or wrongly keyed Manifest.db as corrupt', () => {
    const key = randomBytes(32);
    const encrypted = encryptManifestDb(fakeSqliteFile(1), key);
    for (const bad of [Buffer.alloc(0), encrypted.subarray(0, 4001), Buffer.concat([encrypted, Buffer.alloc(3)])]) {
      const error = thrownBy(() => decryptManifestDb(bad, key));
      assert.ok(isEncryptedDataCorruptError(error), String(error));
      assert.match(error.message, /^The encrypted data of Manifest\.db is corrupt: /);
    }
    const wrongKey = thrownBy(() => decryptManifestDb(encrypted, randomBytes(32)));
    assert.ok(isEncryptedDataCorruptError(wrongKey));
    assert.match(wrongKey.message, /does not decrypt to an SQLite database/);
  });

  it('reports a ManifestKey for a class the keybag lacks, or of the wrong size', () => {
    const classKeys = new Map([[3, randomBytes(32)]]);
    const { manifestKey } = createManifestKey(classKeys);
    assert.ok(isClassKeyMissingError(thrownBy(() => unwrapManifestKey(manifestKey, new Map([[1, randomBytes(32)]])))));
    assert.ok(isEncryptedDataCorruptError(thrownBy(() => unwrapManifestKey(manifestKey.subarray(0, 40), classKeys))));
  });

  it('refuses to encrypt a Manifest.db that is not block-aligned', () => {
    assert.throws(() => encryptManifestDb(Buffer.alloc(4097), randomBytes(32)), RangeError);
  });
});
