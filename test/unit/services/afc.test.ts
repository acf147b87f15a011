import assert from 'node:assert/strict';
import { isAfcError, isProtocolError } from '../../../src/common/errors';
import { AfcService } from '../../../src/services/afc';
import { AFC_HEADER_BYTES, AFC_LOCK, AFC_MAGIC, AFC_OPERATION, decodeAfcHeader, encodeAfcPacket, encodeAfcPath, encodeAfcU64 } from '../../../src/services/afcPacket';
import { describeAfcStatus } from '../../../src/services/afcStatus';
import type { ServiceConnection } from '../../../src/transport/serviceConnection';
import { loopbackServiceProvider } from '../../fakes/loopbackServiceProvider';

/** One request as the fake device sees it. */
interface SeenRequest {
  operation: number;
  packetNumber: bigint;
  data: Buffer;
}

/** The device side of AFC: answers each request with what `reply` returns (operation + data). */
function fakeAfcDevice(seen: SeenRequest[], reply: (request: SeenRequest) => { operation: number; data: Buffer }) {
  return async (device: ServiceConnection): Promise<void> => {
    for (;;) {
      const header = decodeAfcHeader(await device.receiveRaw(AFC_HEADER_BYTES, 5000), 'host');
      const data = await device.receiveRaw(header.entireLength - AFC_HEADER_BYTES, 5000);
      const request = { operation: header.operation, packetNumber: header.packetNumber, data };
      seen.push(request);
      const answer = reply(request);
      device.sendRaw(encodeAfcPacket({ packetNumber: header.packetNumber, operation: answer.operation, headerData: answer.data, payload: Buffer.alloc(0) }));
    }
  };
}

const status = (code: number) => ({ operation: AFC_OPERATION.Status, data: encodeAfcU64(code) });

describe('AFC client', () => {
  it('encodes packets with the magic and little-endian lengths', () => {
    const packet = encodeAfcPacket({ packetNumber: 3n, operation: AFC_OPERATION.FileRefOpen, headerData: encodeAfcU64(2), payload: Buffer.from('xy') });
    assert.ok(packet.subarray(0, 8).equals(AFC_MAGIC));
    assert.equal(packet.readBigUInt64LE(8), 50n);
    assert.equal(packet.readBigUInt64LE(16), 48n);
    assert.equal(packet.readBigUInt64LE(24), 3n);
    assert.equal(packet.readBigUInt64LE(32), 0x0dn);
    assert.deepEqual(encodeAfcPath('/a'), Buffer.from([0x2f, 0x61, 0]));
  });

  it('refuses replies without the magic, with inconsistent lengths, or over the cap', () => {
    const good = encodeAfcPacket({ packetNumber: 0n, operation: 1, headerData: encodeAfcU64(0), payload: Buffer.alloc(0) }).subarray(0, 40);
    const bad = Buffer.from(good);
    bad[0] = 0x58;
    assert.throws(() => decodeAfcHeader(bad), (e) => isProtocolError(e) && /magic/.test(e.message));
    const inconsistent = Buffer.from(good);
    inconsistent.writeBigUInt64LE(30n, 16);
    assert.throws(() => decodeAfcHeader(inconsistent), (e) => isProtocolError(e) && /inconsistent lengths/.test(e.message));
    const huge = Buffer.from(good);
    huge.writeBigUInt64LE(1n << 40n, 8);
    assert.throws(() => decodeAfcHeader(huge), (e) => isProtocolError(e) && /over the limit/.test(e.message));
  });

  it('opens, locks, unlocks and closes the lock file with increasing packet numbers', async () => {
    const seen: SeenRequest[] = [];
    const provider = await loopbackServiceProvider({
      'com.apple.afc': fakeAfcDevice(seen, (r) => (r.operation === AFC_OPERATION.FileRefOpen ? { operation: AFC_OPERATION.FileRefOpenResult, data: encodeAfcU64(7) } : status(0))),
    });
    const afc = new AfcService(provider);
    try {
      await afc.connect();
      const handle = await afc.openFile('/com.apple.itunes.lock_sync', 2);
      assert.equal(handle, 7n);
      await afc.lockFile(handle, AFC_LOCK.Exclusive);
      await afc.lockFile(handle, AFC_LOCK.Unlock);
      await afc.closeFile(handle);
      assert.deepEqual(seen.map((r) => [r.operation, r.packetNumber]), [[0x0d, 0n], [0x1b, 1n], [0x1b, 2n], [0x14, 3n]]);
      assert.deepEqual(seen[0].data, Buffer.concat([encodeAfcU64(2), encodeAfcPath('/com.apple.itunes.lock_sync')]));
      assert.deepEqual(seen[1].data, encodeAfcU64(7, 6));
      assert.deepEqual(seen[2].data, encodeAfcU64(7, 12));
    } finally {
      afc.close();
      await provider.close();
    }
  });

  it('maps a non-zero status to AfcError with the status and path', async () => {
    const provider = await loopbackServiceProvider({ 'com.apple.afc': fakeAfcDevice([], () => status(8)) });
    const afc = new AfcService(provider);
    try {
      await afc.connect();
      await assert.rejects(afc.openFile('/missing', 1), (e) => isAfcError(e) && e.status === 8 && e.path === '/missing' && /object not found \(AFC error 8\)/.test(e.message));
      assert.equal(describeAfcStatus(19), 'the operation would block (held elsewhere) (AFC error 19)');
      assert.equal(describeAfcStatus(999), 'an unrecognised error (AFC error 999)');
    } finally {
      afc.close();
      await provider.close();
    }
  });

  it('refuses an open answered with something other than a handle', async () => {
    const provider = await loopbackServiceProvider({ 'com.apple.afc': fakeAfcDevice([], () => ({ operation: AFC_OPERATION.Data, data: Buffer.from('x') })) });
    const afc = new AfcService(provider);
    try {
      await afc.connect();
      await assert.rejects(afc.openFile('/x'), (e) => isProtocolError(e) && /instead of a file handle/.test(e.message));
    } finally {
      afc.close();
      await provider.close();
    }
  });
});
