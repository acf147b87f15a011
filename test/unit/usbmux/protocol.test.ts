import assert from 'node:assert/strict';
import { decodeUsbmuxHeader, encodeUsbmuxPacket, normalizeUdid, swapPortBytes } from '../../../src/usbmux/protocol';

describe('usbmux wire layout', () => {
  it('writes a 16-byte little-endian header whose length includes itself', () => {
    const packet = encodeUsbmuxPacket(1, 8, 7, Buffer.from('abc'));
    assert.equal(packet.length, 19);
    assert.deepEqual(decodeUsbmuxHeader(packet), { length: 19, version: 1, message: 8, tag: 7 });
    assert.deepEqual([...packet.subarray(0, 4)], [19, 0, 0, 0]);
  });
  it('sends lockdown port 62078 as 32498 (bytes swapped), and back', () => {
    assert.equal(swapPortBytes(62078), 32498);
    assert.equal(swapPortBytes(32498), 62078);
  });
  it('adds the dash to 24-character UDIDs only', () => {
    assert.equal(normalizeUdid('00008110000A1B2C3D4E801E'), '00008110-000A1B2C3D4E801E');
    assert.equal(normalizeUdid('00008110-000A1B2C3D4E801E'), '00008110-000A1B2C3D4E801E');
    assert.equal(normalizeUdid('a'.repeat(40)), 'a'.repeat(40));
  });
});
