import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { aesKeyWrap } from '../../../../src/backup/crypto/aesKeyWrap';
import { isClassKeyMissingError, isEncryptedDataCorruptError } from '../../../../src/backup/crypto/cryptoErrors';
import {
  createFileDecryptStream,
  createFileEncryptStream,
  createFileKey,
  decryptFileData,
  encryptFileData,
  unwrapFileKey,
  wrapFileKey,
} from '../../../../src/backup/crypto/fileCrypto';
import { randomChunks, rejectionOf, runThrough, thrownBy } from './cryptoTestSupport';

const ZERO_IV = Buffer.alloc(16);

/** AES-256-CBC, zero IV, PKCS#7, computed by OpenSSL directly (the format a device writes). */
function referenceEncrypt(key: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, ZERO_IV);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** Raw CBC encryption without padding, to craft ciphertexts whose padding is wrong. */
function encryptRawBlocks(key: Buffer, blocks: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-cbc', key, ZERO_IV);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(blocks), cipher.final()]);
}

function classKeysFor(...classes: number[]): Map<number, Buffer> {
  return new Map(classes.map((protectionClass) => [protectionClass, randomBytes(32)]));
}

describe('backup/crypto fileCrypto', () => {
  describe('file keys', () => {
    it('wraps a new file key as 4-byte LE class + 40-byte wrapped key, and unwraps it', () => {
      const classKeys = classKeysFor(1, 3, 4);
      const { fileKey, encryptionKey } = createFileKey(3, classKeys);
      assert.equal(fileKey.length, 32);
      assert.equal(encryptionKey.length, 44);
      assert.deepEqual(encryptionKey.subarray(0, 4), Buffer.from([3, 0, 0, 0]));
      assert.deepEqual(encryptionKey.subarray(4), aesKeyWrap(classKeys.get(3)!, fileKey));
      assert.deepEqual(unwrapFileKey(encryptionKey, classKeys), fileKey);
      assert.deepEqual(unwrapFileKey(new Uint8Array(encryptionKey), classKeys), fileKey);
    });

    it('unwraps an EncryptionKey assembled by hand', () => {
      const classKeys = classKeysFor(11);
      const fileKey = randomBytes(32);
      const blob = Buffer.concat([Buffer.from([11, 0, 0, 0]), aesKeyWrap(classKeys.get(11)!, fileKey)]);
      assert.deepEqual(unwrapFileKey(blob, classKeys), fileKey);
      assert.deepEqual(wrapFileKey(fileKey, 11, classKeys), blob);
    });

    it('names the missing protection class when the keybag has no key for it', () => {
      const blob = wrapFileKey(randomBytes(32), 7, classKeysFor(7));
      const error = thrownBy(() => unwrapFileKey(blob, classKeysFor(1), { subject: 'HomeDomain/Library/x.db' }));
      assert.ok(isClassKeyMissingError(error));
      assert.equal(error.protectionClass, 7);
      assert.match(error.message, /protection class 7, which HomeDomain\/Library\/x\.db needs/);
    });

    it('reports a blob of the wrong size or a damaged wrapped key as corrupt data', () => {
      const classKeys = classKeysFor(4);
      const blob = wrapFileKey(randomBytes(32), 4, classKeys);
      for (const bad of [blob.subarray(0, 43), Buffer.concat([blob, Buffer.alloc(1)]), Buffer.alloc(0)]) {
        assert.ok(isEncryptedDataCorruptError(thrownBy(() => unwrapFileKey(bad, classKeys))));
      }
      const damaged = Buffer.from(blob);
      damaged[20] ^= 0x80;
      const error = thrownBy(() => unwrapFileKey(damaged, classKeys));
      assert.ok(isEncryptedDataCorruptError(error));
      assert.match(error.message, /does not unwrap with the key of protection class 4/);
    });
  });

  describe('streaming encryption and decryption', () => {
    const sizes = [0, 1, 15, 16, 17, 1024 * 1024 + 3];
    for (const [index, size] of sizes.entries()) {
      it(`round-trips ${size} bytes through the Transform streams in small random chunks`, async () => {
        const fileKey = randomBytes(32);
        const plaintext = randomBytes(size);
        const ciphertext = await runThrough(createFileEncryptStream(fileKey), randomChunks(plaintext, 61, index + 1));
        assert.equal(ciphertext.length, (Math.floor(size / 16) + 1) * 16, 'PKCS#7 always adds 1–16 bytes');
        assert.deepEqual(ciphertext, referenceEncrypt(fileKey, plaintext));
        const decrypted = await runThrough(createFileDecryptStream(fileKey), randomChunks(ciphertext, 53, index + 101));
        assert.deepEqual(decrypted, plaintext);
      });
    }

    it('decrypts what OpenSSL encrypts, and OpenSSL decrypts what it encrypts', async () => {
      const fileKey = randomBytes(32);
      const plaintext = randomBytes(100_003);
      assert.deepEqual(await runThrough(createFileDecryptStream(fileKey), randomChunks(referenceEncrypt(fileKey, plaintext), 4096, 7)), plaintext);
      const ours = encryptFileData(fileKey, plaintext);
      const decipher = createDecipheriv('aes-256-cbc', fileKey, ZERO_IV);
      assert.deepEqual(Buffer.concat([decipher.update(ours), decipher.final()]), plaintext);
    });

    it('emits plaintext before the input ends (it streams rather than buffering the file)', async () => {
      const fileKey = randomBytes(32);
      const ciphertext = encryptFileData(fileKey, randomBytes(256 * 1024));
      const decrypt = createFileDecryptStream(fileKey);
      let emittedBeforeEnd = 0;
      let ended = false;
      decrypt.on('data', (chunk: Buffer) => {
        if (!ended) emittedBeforeEnd += chunk.length;
      });
      const finished = new Promise<void>((resolve, reject) => decrypt.on('end', resolve).on('error', reject));
      for (const chunk of randomChunks(ciphertext, 8192, 3)) decrypt.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
      ended = true;
      decrypt.end();
      await finished;
      assert.ok(emittedBeforeEnd >= ciphertext.length - 16 - 8192, `only ${emittedBeforeEnd} bytes came out before the end`);
    });

    it('keeps memory flat: a writer that stops reading stops the decryptor', async () => {
      const fileKey = randomBytes(32);
      const block = encryptFileData(fileKey, Buffer.alloc(64 * 1024));
      const decrypt = createFileDecryptStream(fileKey);
      let written = 0;
      // Write until backpressure says stop, without anyone reading.
      while (decrypt.write(block.subarray(0, 64 * 1024))) written += 64 * 1024;
      assert.ok(written < 1024 * 1024, `the stream accepted ${written} bytes without being read`);
      decrypt.destroy();
    });

    it('follows the data when the recorded Size is stale, in both directions', async () => {
      const fileKey = randomBytes(32);
      // The file grew after Manifest.db recorded 1,000 bytes, and another one shrank from a recorded 5,000.
      for (const [recordedSize, actualSize] of [
        [1_000, 4_321],
        [5_000, 17],
      ]) {
        const plaintext = randomBytes(actualSize);
        const ciphertext = encryptFileData(fileKey, plaintext);
        const decrypted = await runThrough(createFileDecryptStream(fileKey), randomChunks(ciphertext, 97, actualSize));
        assert.equal(decrypted.length, actualSize);
        assert.notEqual(decrypted.length, recordedSize);
        assert.deepEqual(decrypted, plaintext);
        assert.deepEqual(decryptFileData(fileKey, ciphertext), plaintext);
      }
    });

    it('treats an empty stored file as empty plaintext', async () => {
      const fileKey = randomBytes(32);
      assert.equal((await runThrough(createFileDecryptStream(fileKey), [])).length, 0);
      assert.equal(decryptFileData(fileKey, Buffer.alloc(0)).length, 0);
    });

    it('reports truncated ciphertext (not a multiple of 16) as corrupt', async () => {
      const fileKey = randomBytes(32);
      const ciphertext = encryptFileData(fileKey, randomBytes(100));
      for (const cut of [1, 15, 17, 111]) {
        const truncated = ciphertext.subarray(0, cut);
        const error = await rejectionOf(runThrough(createFileDecryptStream(fileKey, { subject: 'CameraRollDomain/x.jpg' }), randomChunks(truncated, 7, cut)));
        assert.ok(isEncryptedDataCorruptError(error), String(error));
        assert.equal(error.message, `The encrypted data of CameraRollDomain/x.jpg is corrupt: its length of ${cut} bytes is not a multiple of 16 (the file is truncated).`);
        assert.ok(isEncryptedDataCorruptError(thrownBy(() => decryptFileData(fileKey, truncated))));
      }
    });

    it('reports invalid PKCS#7 padding as corrupt', async () => {
      const fileKey = randomBytes(32);
      const badFinalBlocks = [
        Buffer.concat([Buffer.alloc(15, 0x41), Buffer.from([0x00])]),
        Buffer.concat([Buffer.alloc(15, 0x41), Buffer.from([0x11])]),
        Buffer.concat([Buffer.alloc(13, 0x41), Buffer.from([0x03, 0x02, 0x03])]),
        Buffer.concat([Buffer.alloc(14, 0x41), Buffer.from([0x03, 0x03])]),
        Buffer.alloc(16, 0xff),
      ];
      for (const finalBlock of badFinalBlocks) {
        const ciphertext = encryptRawBlocks(fileKey, Buffer.concat([randomBytes(32), finalBlock]));
        const error = await rejectionOf(runThrough(createFileDecryptStream(fileKey), randomChunks(ciphertext, 9, 5)));
        assert.ok(isEncryptedDataCorruptError(error), `${finalBlock.toString('hex')}: ${String(error)}`);
        assert.match(error.message, /no valid padding/);
        assert.ok(isEncryptedDataCorruptError(thrownBy(() => decryptFileData(fileKey, ciphertext))));
      }
    });

    it('accepts every valid padding length from 1 to 16', async () => {
      const fileKey = randomBytes(32);
      for (let padding = 1; padding <= 16; padding++) {
        const plaintext = randomBytes(32 - padding);
        const ciphertext = encryptRawBlocks(fileKey, Buffer.concat([plaintext, Buffer.alloc(padding, padding)]));
        assert.deepEqual(await runThrough(createFileDecryptStream(fileKey), [ciphertext]), plaintext);
      }
    });

    it('propagates a decryption error through pipeline() to the destination', async () => {
      const fileKey = randomBytes(32);
      const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
      const error = await rejectionOf(pipeline(Readable.from([randomBytes(33)]), createFileDecryptStream(fileKey), sink));
      assert.ok(isEncryptedDataCorruptError(error));
    });

    it('refuses a key that is not 32 bytes', () => {
      assert.throws(() => createFileDecryptStream(randomBytes(16)), RangeError);
      assert.throws(() => createFileEncryptStream(randomBytes(31)), RangeError);
    });
  });

  it('the whole-buffer helpers match the streams', async () => {
    const fileKey = randomBytes(32);
    const plaintext = randomBytes(5_000);
    const streamed = await runThrough(createFileEncryptStream(fileKey), randomChunks(plaintext, 100, 9));
    assert.deepEqual(encryptFileData(fileKey, plaintext), streamed);
    assert.deepEqual(decryptFileData(fileKey, streamed), plaintext);
  });
});
