import assert from 'node:assert/strict';
import { isProtocolError } from '../../../src/common/errors';
import { ByteQueue } from '../../../src/transport/byteQueue';
import { readPlistFrame } from '../../../src/transport/plistFrames';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ByteQueue read time limit', () => {
  it('keeps waiting while bytes trickle in, even past the limit in total', async () => {
    const queue = new ByteQueue('device');
    const feeding = (async () => {
      for (let i = 0; i < 8; i++) {
        await sleep(40);
        queue.push(Buffer.from([i]));
      }
    })();
    const startedAt = Date.now();
    const bytes = await queue.read(8, 150);
    await feeding;
    assert.deepEqual([...bytes], [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(Date.now() - startedAt > 150, 'the whole read took longer than the limit');
  });

  it('fails once no byte arrived for the limit', async () => {
    const queue = new ByteQueue('device');
    queue.push(Buffer.from([1]));
    setTimeout(() => queue.push(Buffer.from([2])), 40);
    const startedAt = Date.now();
    await assert.rejects(queue.read(4, 120), (e) => isProtocolError(e) && /did not answer in time/.test(e.message));
    const waited = Date.now() - startedAt;
    assert.ok(waited >= 150 && waited < 1_000, `the limit counts from the last byte (${waited} ms)`);
  });
});

describe('ByteQueue zero-length reads (found by fuzzing)', () => {
  it('reading 0 bytes with nothing buffered gives an empty buffer', async () => {
    const queue = new ByteQueue('device');
    const bytes = await queue.read(0, 100);
    assert.equal(bytes.length, 0);
  });

  it('a zero-length plist frame is a protocol error with a sentence, not a TypeError', async () => {
    const queue = new ByteQueue('device');
    queue.push(Buffer.from([0, 0, 0, 0]));
    await assert.rejects(readPlistFrame(queue, 'device', { maxBytes: 1024, timeoutMs: 100 }), (e) => isProtocolError(e) && /not a valid property list/.test(e.message));
  });
});
