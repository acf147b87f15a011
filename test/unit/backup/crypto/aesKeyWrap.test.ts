import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, getCiphers, randomBytes } from 'node:crypto';
import { aesKeyUnwrap, aesKeyWrap } from '../../../../src/backup/crypto/aesKeyWrap';
import { isKeyUnwrapIntegrityError } from '../../../../src/backup/crypto/cryptoErrors';
import { thrownBy } from './cryptoTestSupport';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// RFC 3394 §4.1–4.6.
const RFC3394_VECTORS = [
  {
    name: '4.1 128-bit data, 128-bit KEK',
    kek: '000102030405060708090A0B0C0D0E0F',
    data: '00112233445566778899AABBCCDDEEFF',
    wrapped: '1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5',
  },
  {
    name: '4.2 128-bit data, 192-bit KEK',
    kek: '000102030405060708090A0B0C0D0E0F1011121314151617',
    data: '00112233445566778899AABBCCDDEEFF',
    wrapped: '96778B25AE6CA435 F92B5B97C050AED2 468AB8A17AD84E5D',
  },
  {
    name: '4.3 128-bit data, 256-bit KEK',
    kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    data: '00112233445566778899AABBCCDDEEFF',
    wrapped: '64E8C3F9CE0F5BA2 63E9777905818A2A 93C8191E7D6E8AE7',
  },
  {
    name: '4.4 192-bit data, 192-bit KEK',
    kek: '000102030405060708090A0B0C0D0E0F1011121314151617',
    data: '00112233445566778899AABBCCDDEEFF0001020304050607',
    wrapped: '031D33264E15D332 68F24EC260743EDC E1C6C7DDEE725A93 6BA814915C6762D2',
  },
  {
    name: '4.5 192-bit data, 256-bit KEK',
    kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    data: '00112233445566778899AABBCCDDEEFF0001020304050607',
    wrapped: 'A8F9BC1612C68B3F F6E6F4FBE30E71E4 769C8B80A32CB895 8CD5D17D6B254DA1',
  },
  {
    name: '4.6 256-bit data, 256-bit KEK',
    kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    data: '00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F',
    wrapped: '28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21',
  },
];

describe('backup/crypto aesKeyWrap (RFC 3394)', () => {
  for (const vector of RFC3394_VECTORS) {
    it(`wraps and unwraps test vector ${vector.name}`, () => {
      assert.equal(aesKeyWrap(hex(vector.kek), hex(vector.data)).toString('hex'), hex(vector.wrapped).toString('hex'));
      assert.equal(aesKeyUnwrap(hex(vector.kek), hex(vector.wrapped)).toString('hex'), hex(vector.data).toString('hex'));
    });
  }

  it("agrees with OpenSSL's id-aes256-wrap cipher where Node offers it", function () {
    if (!getCiphers().includes('id-aes256-wrap')) this.skip();
    const iv = hex('A6A6A6A6A6A6A6A6');
    for (let round = 0; round < 20; round++) {
      const kek = randomBytes(32);
      const key = randomBytes(32);
      const cipher = createCipheriv('id-aes256-wrap', kek, iv);
      const native = Buffer.concat([cipher.update(key), cipher.final()]);
      assert.deepEqual(aesKeyWrap(kek, key), native);
      const decipher = createDecipheriv('id-aes256-wrap', kek, iv);
      assert.deepEqual(aesKeyUnwrap(kek, native), Buffer.concat([decipher.update(native), decipher.final()]));
    }
  });

  it('throws KeyUnwrapIntegrityError for the wrong key-encryption key', () => {
    const wrapped = aesKeyWrap(randomBytes(32), randomBytes(32));
    assert.ok(isKeyUnwrapIntegrityError(thrownBy(() => aesKeyUnwrap(randomBytes(32), wrapped))));
  });

  it('throws KeyUnwrapIntegrityError when a single bit of the wrapped key flips', () => {
    const kek = randomBytes(32);
    const wrapped = aesKeyWrap(kek, randomBytes(32));
    for (const index of [0, 7, 8, 39]) {
      const damaged = Buffer.from(wrapped);
      damaged[index] ^= 0x01;
      assert.ok(isKeyUnwrapIntegrityError(thrownBy(() => aesKeyUnwrap(kek, damaged))), `byte ${index}`);
    }
  });

  it('rejects lengths RFC 3394 does not define', () => {
    assert.throws(() => aesKeyWrap(randomBytes(32), randomBytes(8)), RangeError);
    assert.throws(() => aesKeyWrap(randomBytes(32), randomBytes(20)), RangeError);
    assert.throws(() => aesKeyUnwrap(randomBytes(32), randomBytes(16)), RangeError);
    assert.throws(() => aesKeyUnwrap(randomBytes(32), randomBytes(41)), RangeError);
    assert.throws(() => aesKeyWrap(randomBytes(31), randomBytes(32)), RangeError);
  });

  it('does not modify its inputs', () => {
    const kek = randomBytes(32);
    const key = randomBytes(32);
    const keyCopy = Buffer.from(key);
    const wrapped = aesKeyWrap(kek, key);
    const wrappedCopy = Buffer.from(wrapped);
    aesKeyUnwrap(kek, wrapped);
    assert.deepEqual(key, keyCopy);
    assert.deepEqual(wrapped, wrappedCopy);
  });
});
