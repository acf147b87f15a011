import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StreamedFileWriter } from '../../../../src/backup/engine/streamedFileWriter';

describe('backup engine: streamed file writer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-writer-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes the pieces in order, across many batches, after what was already in the file', async () => {
    const file = path.join(dir, 'large');
    const handle = await fs.open(file, 'wx');
    await handle.write(Buffer.from('head'));
    const writer = new StreamedFileWriter(handle, 4);
    const hash = createHash('sha256').update('head');
    // Pieces of odd sizes, about 5 MiB in all: several batches, and a last one that is not full.
    for (let i = 0; i < 170; i++) {
      const piece = randomBytes(30_000 + i);
      hash.update(piece);
      await writer.add(piece);
    }
    await writer.finish();
    assert.equal(createHash('sha256').update(await fs.readFile(file)).digest('hex'), hash.digest('hex'));
  });

  it('reports a failed write when the file is finished, and closes it', async () => {
    const file = path.join(dir, 'readonly');
    await fs.writeFile(file, '');
    // A handle opened for reading cannot be written: every batch write fails.
    const handle = await fs.open(file, 'r');
    const writer = new StreamedFileWriter(handle, 0);
    let failed: unknown;
    try {
      for (let i = 0; i < 3; i++) await writer.add(Buffer.alloc(700_000));
      await writer.finish();
    } catch (err) {
      failed = err;
      await writer.abandon();
    }
    assert.match(String((failed as NodeJS.ErrnoException)?.code), /EBADF/);
    await assert.rejects(handle.stat(), /closed|EBADF/i, 'the handle is closed');
  });
});
