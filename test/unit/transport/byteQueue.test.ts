import assert from 'node:assert/strict';
import { isProtocolError } from '../../../src/errors';
import { ByteQueue } from '../../../src/transport/byteQueue';

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
