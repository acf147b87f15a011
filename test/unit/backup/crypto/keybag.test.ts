import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { aesKeyUnwrap, aesKeyWrap } from '../../../../src/backup/crypto/aesKeyWrap';
import { isKeybagCorruptError, isWrongPasswordError } from '../../../../src/backup/crypto/cryptoErrors';
import {
  BACKUP_PROTECTION_CLASSES,
  createKeybag,
  unlockKeybag,
  unlockKeybagWithPassword,
} from '../../../../src/backup/crypto/keybag';
import { KEYBAG_WRAP_DEVICE, KEYBAG_WRAP_PASSCODE, buildKeybag, parseKeybag, type BackupKeybag } from '../../../../src/backup/crypto/keybagTlv';
import { deriveKeyInWorker, passwordKeyParams } from '../../../../src/backup/crypto/passwordKey';
import { isUsageError } from '../../../../src/common/errors';
import { rejectionOf, thrownBy } from './cryptoTestSupport';

const FAST = { iterations: 3, dpIterations: 7 } as const;

describe('backup/crypto keybag', () => {
  it('creates a keybag with classes 1–11 that parses and unlocks to the same class keys', async () => {
    const created = await createKeybag({ password: 'open sesame', ...FAST });
    const parsed = parseKeybag(created.bytes);
    assert.deepEqual(parsed, created.keybag);
    assert.deepEqual(
      parsed.classKeys.map((entry) => entry.protectionClass),
      [...BACKUP_PROTECTION_CLASSES],
    );
    assert.equal(parsed.header.type, 1);
    assert.equal(parsed.header.iterations, 3);
    assert.equal(parsed.header.dpIterations, 7);
    assert.equal(parsed.header.salt.length, 20);
    assert.equal(parsed.header.dpSalt?.length, 20);
    for (const entry of parsed.classKeys) {
      assert.equal(entry.wrap, KEYBAG_WRAP_PASSCODE);
      assert.equal(entry.keyType, 0);
      assert.equal(entry.wrappedKey.length, 40);
      assert.equal(entry.uuid?.length, 16);
    }
    const unlocked = await unlockKeybagWithPassword(parsed, 'open sesame');
    assert.deepEqual(unlocked, created.classKeys);
    assert.equal(new Set([...unlocked.values()].map((key) => key.toString('hex'))).size, 11, 'class keys are distinct');
  });

  it('creates keybags with fresh salts, UUIDs and keys each time', async () => {
    const first = await createKeybag({ password: 'same', ...FAST });
    const second = await createKeybag({ password: 'same', ...FAST });
    assert.notDeepEqual(first.keybag.header.salt, second.keybag.header.salt);
    assert.notDeepEqual(first.keybag.header.dpSalt, second.keybag.header.dpSalt);
    assert.notDeepEqual(first.keybag.header.uuid, second.keybag.header.uuid);
    assert.notDeepEqual(first.classKeys.get(1), second.classKeys.get(1));
  });

  it('unwraps class keys with a password key derived independently of the module', async () => {
    const created = await createKeybag({ password: 'independent', ...FAST, classes: [1, 3] });
    const { header } = created.keybag;
    const stage1 = pbkdf2Sync(Buffer.from('independent'), header.dpSalt!, header.dpIterations!, 32, 'sha256');
    const passwordKey = pbkdf2Sync(stage1, header.salt, header.iterations, 32, 'sha1');
    for (const entry of created.keybag.classKeys) {
      assert.deepEqual(aesKeyUnwrap(passwordKey, entry.wrappedKey), created.classKeys.get(entry.protectionClass));
    }
  });

  it('rejects a wrong password with WrongPasswordError', async () => {
    const created = await createKeybag({ password: 'right', ...FAST });
    const error = await rejectionOf(unlockKeybagWithPassword(created.keybag, 'wrong'));
    assert.ok(isWrongPasswordError(error), String(error));
    assert.equal(error.message, 'The backup password is incorrect.');
    assert.equal(error.code, 'backup.wrong-password');
  });

  it('creates and unlocks a pre-10.2 keybag (no DPSL/DPIC) with the single SHA1 stage', async () => {
    const created = await createKeybag({ password: 'legacy', ...FAST, legacyDerivation: true });
    const parsed = parseKeybag(created.bytes);
    assert.equal(parsed.header.dpSalt, undefined);
    assert.equal(parsed.header.dpIterations, undefined);
    assert.equal(parsed.header.dpWrap, undefined);
    const passwordKey = pbkdf2Sync(Buffer.from('legacy'), parsed.header.salt, parsed.header.iterations, 32, 'sha1');
    assert.deepEqual(unlockKeybag(parsed, passwordKey), created.classKeys);
    assert.deepEqual(await unlockKeybagWithPassword(parsed, 'legacy'), created.classKeys);
  });

  it('unlocks a hand-assembled pre-10.2 keybag', async () => {
    const salt = randomBytes(20);
    const passwordKey = pbkdf2Sync(Buffer.from('old phone'), salt, 10, 32, 'sha1');
    const classKey = randomBytes(32);
    const keybag: BackupKeybag = {
      header: { version: 3, type: 1, uuid: randomBytes(16), salt, iterations: 10 },
      classKeys: [{ uuid: randomBytes(16), protectionClass: 2, wrap: KEYBAG_WRAP_PASSCODE, wrappedKey: aesKeyWrap(passwordKey, classKey) }],
    };
    const parsed = parseKeybag(buildKeybag(keybag));
    const derived = await deriveKeyInWorker(passwordKeyParams(parsed.header, 'old phone'));
    assert.deepEqual(unlockKeybag(parsed, derived).get(2), classKey);
  });

  it('skips device-wrapped and Curve25519 classes, which the password alone cannot open', () => {
    const passwordKey = randomBytes(32);
    const keybag: BackupKeybag = {
      header: { salt: randomBytes(20), iterations: 1 },
      classKeys: [
        { protectionClass: 1, wrap: KEYBAG_WRAP_PASSCODE, keyType: 0, wrappedKey: aesKeyWrap(passwordKey, randomBytes(32)) },
        { protectionClass: 2, wrap: KEYBAG_WRAP_DEVICE, keyType: 0, wrappedKey: randomBytes(40) },
        { protectionClass: 3, wrap: KEYBAG_WRAP_DEVICE | KEYBAG_WRAP_PASSCODE, keyType: 0, wrappedKey: randomBytes(40) },
        { protectionClass: 4, wrap: KEYBAG_WRAP_PASSCODE, keyType: 1, wrappedKey: randomBytes(72) },
      ],
    };
    assert.deepEqual([...unlockKeybag(keybag, passwordKey).keys()], [1]);
  });

  it('reports a keybag with no password-wrapped class as corrupt', () => {
    const keybag: BackupKeybag = {
      header: { salt: randomBytes(20), iterations: 1 },
      classKeys: [{ protectionClass: 1, wrap: KEYBAG_WRAP_DEVICE, wrappedKey: randomBytes(40) }],
    };
    const error = thrownBy(() => unlockKeybag(keybag, randomBytes(32)));
    assert.ok(isKeybagCorruptError(error));
    assert.match(error.message, /no class key wrapped with the backup password/);
  });

  it('reports a WPKY of the wrong size as corrupt', () => {
    const keybag: BackupKeybag = {
      header: { salt: randomBytes(20), iterations: 1 },
      classKeys: [{ protectionClass: 1, wrap: KEYBAG_WRAP_PASSCODE, wrappedKey: randomBytes(48) }],
    };
    const error = thrownBy(() => unlockKeybag(keybag, randomBytes(32)));
    assert.ok(isKeybagCorruptError(error));
    assert.match(error.message, /protection class 1 is 48 bytes long, not 40/);
  });

  it('reports one damaged class key after good ones as corruption, not as a wrong password', async () => {
    const created = await createKeybag({ password: 'pw', ...FAST, classes: [1, 2, 3] });
    const damaged: BackupKeybag = {
      header: created.keybag.header,
      classKeys: created.keybag.classKeys.map((entry) => {
        if (entry.protectionClass !== 3) return entry;
        const wrappedKey = Buffer.from(entry.wrappedKey);
        wrappedKey[10] ^= 0xff;
        return { ...entry, wrappedKey };
      }),
    };
    const error = await rejectionOf(unlockKeybagWithPassword(damaged, 'pw'));
    assert.ok(isKeybagCorruptError(error), String(error));
    assert.match(error.message, /protection class 3 does not unwrap/);
  });

  it('refuses an empty password, iteration counts its parser would refuse, and duplicate classes', async () => {
    assert.ok(isUsageError(await rejectionOf(createKeybag({ password: '', ...FAST }))));
    assert.ok((await rejectionOf(createKeybag({ password: 'x', iterations: 0 }))) instanceof RangeError);
    assert.ok((await rejectionOf(createKeybag({ password: 'x', iterations: 1, dpIterations: 2 ** 31 }))) instanceof RangeError);
    assert.ok((await rejectionOf(createKeybag({ password: 'x', ...FAST, classes: [1, 1] }))) instanceof RangeError);
  });

  it('requires a 32-byte password key', () => {
    const keybag: BackupKeybag = {
      header: { salt: randomBytes(20), iterations: 1 },
      classKeys: [{ protectionClass: 1, wrap: KEYBAG_WRAP_PASSCODE, wrappedKey: randomBytes(40) }],
    };
    assert.throws(() => unlockKeybag(keybag, randomBytes(16)), RangeError);
  });
});
