import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encryptFileData, isEncryptedDataCorruptError } from '../../../../src/backup/crypto';
import { readEncryptedContent } from '../../../../src/backup/verify/encryptedContent';

describe('backup/verify readEncryptedContent', () => {
  let dir: string;
  const key = randomBytes(32);

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-enc-content-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function read(ciphertext: Buffer, bufferBytes: number) {
    const file = path.join(dir, 'content');
    await fs.writeFile(file, ciphertext);
    const handle = await fs.open(file, 'r');
    try {
      return await readEncryptedContent(handle, ciphertext.length, key, 'HomeDomain/a', Buffer.alloc(bufferBytes));
    } finally {
      await handle.close();
    }
  }

  it('gives the plaintext length from the final padding, whatever the chunk boundaries', async () => {
    for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 100, 1000]) {
      const ciphertext = encryptFileData(key, randomBytes(length));
      for (const bufferBytes of [1, 7, 16, 33, 4096]) {
        const reading = await read(ciphertext, bufferBytes);
        assert.deepEqual(reading, { bytesRead: ciphertext.length, plaintextBytes: length }, `${length} bytes read ${bufferBytes} at a time`);
      }
    }
  });

  it('an empty stored file is an empty plaintext', async () => {
    assert.deepEqual(await read(Buffer.alloc(0), 16), { bytesRead: 0, plaintextBytes: 0 });
  });

  it('refuses a length that is not whole blocks and a final block without valid padding', async () => {
    // Fixed keys and data: a damaged last block has valid padding by chance (about 1 in 256), so a random one would make a flaky test.
    const fixedKey = Buffer.alloc(32, 9);
    const ciphertext = encryptFileData(fixedKey, Buffer.alloc(100, 3));
    const readFixed = async (bytes: Buffer) => {
      const file = path.join(dir, 'fixed');
      await fs.writeFile(file, bytes);
      const handle = await fs.open(file, 'r');
      try {
        return await readEncryptedContent(handle, bytes.length, fixedKey, 'HomeDomain/a', Buffer.alloc(64));
      } finally {
        await handle.close();
      }
    };
    await assert.rejects(readFixed(ciphertext.subarray(0, ciphertext.length - 3)), (err) => isEncryptedDataCorruptError(err) && /length of 109 bytes is not a multiple of 16/.test(err.message));
    const damaged = Buffer.from(ciphertext);
    damaged[damaged.length - 1] ^= 0xff;
    await assert.rejects(readFixed(damaged), (err) => isEncryptedDataCorruptError(err) && /no valid padding/.test(err.message));
    // The same file under another key.
    await assert.rejects(readFixed(encryptFileData(Buffer.alloc(32, 5), Buffer.alloc(100, 3))), isEncryptedDataCorruptError);
  });
});
