import assert from 'node:assert/strict';
import { isProtocolError } from '../../../src/common/errors';
import { ByteQueue } from '../../../src/transport/byteQueue';
import { encodePlistFrame, readPlistFrame } from '../../../src/transport/plistFrames';

const limits = { maxBytes: 1024, timeoutMs: 2000 };

describe('length-prefixed plist frames', () => {
  it('round-trips XML and binary frames, delivered in pieces', async () => {
    for (const encoding of ['xml', 'binary'] as const) {
      const frame = encodePlistFrame({ Request: 'GetValue', Key: 'DeviceName', n: 3 }, encoding);
      const queue = new ByteQueue('device');
      for (const b of frame) queue.push(Buffer.from([b]));
      assert.deepEqual(await readPlistFrame(queue, 'device', limits), { Request: 'GetValue', Key: 'DeviceName', n: 3 });
    }
  });
  it('refuses a length prefix over the cap before reading the body', async () => {
    const queue = new ByteQueue('device');
    queue.push(Buffer.from([0x7f, 0xff, 0xff, 0xff]));
    await assert.rejects(readPlistFrame(queue, 'device', limits), (e) => isProtocolError(e) && /over the limit/.test(e.message));
  });
  it('reports a frame cut short by the peer closing', async () => {
    const queue = new ByteQueue('device');
    queue.push(encodePlistFrame({ a: 1 }, 'xml').subarray(0, 20));
    queue.end();
    await assert.rejects(readPlistFrame(queue, 'device', limits), (e) => isProtocolError(e) && /in the middle of a message/.test(e.message));
  });
  it('refuses a body that is not a property list', async () => {
    const queue = new ByteQueue('device');
    const body = Buffer.from('hello, not a plist');
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(body.length);
    queue.push(Buffer.concat([prefix, body]));
    await assert.rejects(readPlistFrame(queue, 'device', limits), (e) => isProtocolError(e) && /not a valid property list/.test(e.message));
  });
  it('times out when the peer goes silent', async () => {
    const queue = new ByteQueue('device');
    queue.push(Buffer.from([0, 0]));
    await assert.rejects(readPlistFrame(queue, 'device', { maxBytes: 10, timeoutMs: 50 }), (e) => isProtocolError(e) && /did not answer in time/.test(e.message));
  });
});
