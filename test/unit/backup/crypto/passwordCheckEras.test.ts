import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { checkBackupPassword } from '../../../../src/backup/crypto/passwordCheck';
import { parseKeybag, writeKeybagRecords, type KeybagRecord } from '../../../../src/backup/crypto/keybagTlv';
import { passwordKeyParams } from '../../../../src/backup/crypto/passwordKey';
import { referencePbkdf2 } from './cryptoTestSupport';

/*
 * Keybags assembled record by record as public descriptions of the backup keybag give them (TLV: a
 * four-letter tag, a big-endian u32 length, the value), wrapped with keys derived by the RFC 8018
 * reference PBKDF2 and wrapped by OpenSSL's RFC 3394 cipher: nothing here comes from the code under test,
 * so a mistake in the product's builder cannot hide the same mistake in its checker.
 *
 * - Before iOS 10.2 (e.g. iOS 9): one stage, PBKDF2-HMAC-SHA1 over the password with SALT/ITER.
 * - From iOS 10.2: PBKDF2-HMAC-SHA256 over the password with DPSL/DPIC first, then PBKDF2-HMAC-SHA1 of
 *   that result with SALT/ITER. Real bags use ITER 10,000 and DPIC 10,000,000; the tests use small counts.
 */

const PASSWORD = 'Kitting-Pa55 ✓';
const SHA1_ITERATIONS = 7;
const SHA256_ITERATIONS = 11;
/** RFC 3394 default initial value; OpenSSL's id-aes256-wrap checks it on unwrap. */
const RFC3394_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
/** WRAP value of a class key wrapped with the backup password only. */
const WRAP_PASSCODE = 2;

function u32(tag: string, value: number): KeybagRecord {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return { tag, value: bytes };
}

function rfc3394Wrap(kek: Buffer, key: Buffer): Buffer {
  const cipher = createCipheriv('id-aes256-wrap', kek, RFC3394_IV);
  return Buffer.concat([cipher.update(key), cipher.final()]);
}

/** A keybag as the device writes it for one era: header records, then class blocks 1–4 wrapped with the password key. */
function handBuiltKeybag(era: 'ios9' | 'ios10.2+', password: string): Buffer {
  const salt = randomBytes(20);
  const dpSalt = randomBytes(20);
  const passwordBytes = Buffer.from(password, 'utf8');
  const sha1Input = era === 'ios9' ? passwordBytes : referencePbkdf2(passwordBytes, dpSalt, SHA256_ITERATIONS, 32, 'sha256');
  const passwordKey = referencePbkdf2(sha1Input, salt, SHA1_ITERATIONS, 32, 'sha1');
  const records: KeybagRecord[] = [
    u32('VERS', 3),
    u32('TYPE', 1),
    { tag: 'UUID', value: randomBytes(16) },
    { tag: 'HMCK', value: randomBytes(40) },
    u32('WRAP', 0),
    { tag: 'SALT', value: salt },
    u32('ITER', SHA1_ITERATIONS),
  ];
  if (era === 'ios10.2+') records.push(u32('DPWT', 1), u32('DPIC', SHA256_ITERATIONS), { tag: 'DPSL', value: dpSalt });
  for (const protectionClass of [1, 2, 3, 4]) {
    records.push(
      { tag: 'UUID', value: randomBytes(16) },
      u32('CLAS', protectionClass),
      u32('WRAP', WRAP_PASSCODE),
      u32('KTYP', 0),
      { tag: 'WPKY', value: rfc3394Wrap(passwordKey, randomBytes(32)) },
    );
  }
  return writeKeybagRecords(records);
}

describe('backup/crypto checkBackupPassword on keybags of both eras, built to the documented format', () => {
  describe('an iOS 9-style keybag (no DPSL/DPIC: one PBKDF2-SHA1 stage)', () => {
    const bytes = handBuiltKeybag('ios9', PASSWORD);

    it('parses with no SHA-256 stage, so only SALT/ITER are used', () => {
      const parsed = parseKeybag(bytes);
      assert.equal(parsed.header.dpSalt, undefined);
      assert.equal(parsed.header.dpIterations, undefined);
      assert.equal(passwordKeyParams(parsed.header, PASSWORD).sha256, undefined);
      assert.equal(parsed.classKeys.length, 4);
    });

    it('the right password opens it', async () => {
      assert.equal(await checkBackupPassword(bytes, PASSWORD), true);
    });

    it('a wrong password does not, nor the right one in another case or with a trailing newline', async () => {
      assert.equal(await checkBackupPassword(bytes, 'kitting-Pa55 ✓'), false);
      assert.equal(await checkBackupPassword(bytes, `${PASSWORD}\n`), false);
    });
  });

  describe('an iOS 10.2+-style keybag (DPSL/DPIC: PBKDF2-SHA256, then PBKDF2-SHA1)', () => {
    const bytes = handBuiltKeybag('ios10.2+', PASSWORD);

    it('parses with both stages', () => {
      const params = passwordKeyParams(parseKeybag(bytes).header, PASSWORD);
      assert.equal(params.sha1.iterations, SHA1_ITERATIONS);
      assert.equal(params.sha256?.iterations, SHA256_ITERATIONS);
    });

    it('the right password opens it', async () => {
      assert.equal(await checkBackupPassword(bytes, PASSWORD), true);
    });

    it('a wrong password does not', async () => {
      assert.equal(await checkBackupPassword(bytes, 'Kitting-Pa55'), false);
    });
  });

  it('the second stage matters: a two-stage keybag is not opened by the one-stage key of the same password', async () => {
    // Move the SHA-1 stage's parameters of an iOS 9-style bag under DPSL/DPIC records: same SALT/ITER and
    // class keys, but the checker must now run SHA-256 first, and the wrapped keys no longer fit.
    const oneStage = parseKeybag(handBuiltKeybag('ios9', PASSWORD));
    const records: KeybagRecord[] = [
      { tag: 'SALT', value: oneStage.header.salt },
      u32('ITER', oneStage.header.iterations),
      u32('DPIC', SHA256_ITERATIONS),
      { tag: 'DPSL', value: randomBytes(20) },
      ...oneStage.classKeys.flatMap((entry) => [u32('CLAS', entry.protectionClass), u32('WRAP', entry.wrap), { tag: 'WPKY', value: entry.wrappedKey }]),
    ];
    assert.equal(await checkBackupPassword(writeKeybagRecords(records), PASSWORD), false);
  });
});
