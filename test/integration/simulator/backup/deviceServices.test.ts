import assert from 'node:assert/strict';
import { DeviceSession } from '../../../../src/lockdown/deviceSession';
import { getArray, getString, isPlistDict, parsePlist, type PlistDict } from '../../../../src/plist';
import type { ServiceConnection } from '../../../../src/transport/serviceConnection';
import { SYNC_LOCK_FILE } from '../../../../src/simulator/mediaFileSystem';
import { AFC_HEADER_BYTES, AFC_OPERATION, decodeAfcHeader, decodeAfcStrings, encodeAfcPacket, encodeAfcStrings, encodeAfcU64 } from '../../../../src/services/afcPacket';
import { AFC_STATUS } from '../../../../src/services/afcStatus';
import { UsbmuxClient } from '../../../../src/usbmux/usbmuxClient';
import { startSimulator, type SimulatorHarness } from '../../../helpers/simulatorHarness';

const UDID = '00008110-000A1B2C3D4E801E';

/** A tiny AFC client for the tests: one request, one reply. */
class TestAfc {
  private packet = 0n;
  constructor(readonly connection: ServiceConnection) {}

  async request(operation: number, data: Buffer, payload: Buffer = Buffer.alloc(0)): Promise<{ operation: number; data: Buffer }> {
    const number = this.packet++;
    this.connection.sendRaw(encodeAfcPacket({ packetNumber: number, operation, headerData: data, payload }));
    const header = decodeAfcHeader(await this.connection.receiveRaw(AFC_HEADER_BYTES));
    assert.equal(header.packetNumber, number, 'replies carry the request packet number');
    const body = header.entireLength > AFC_HEADER_BYTES ? await this.connection.receiveRaw(header.entireLength - AFC_HEADER_BYTES) : Buffer.alloc(0);
    return { operation: header.operation, data: body };
  }

  async status(operation: number, data: Buffer, payload?: Buffer): Promise<number> {
    const reply = await this.request(operation, data, payload);
    assert.equal(reply.operation, AFC_OPERATION.Status);
    return Number(reply.data.readBigUInt64LE(0));
  }

  async open(path: string, mode: number): Promise<bigint> {
    const reply = await this.request(AFC_OPERATION.FileRefOpen, Buffer.concat([encodeAfcU64(mode), encodeAfcStrings([path])]));
    assert.equal(reply.operation, AFC_OPERATION.FileRefOpenResult, `open ${path}`);
    return reply.data.readBigUInt64LE(0);
  }
}

/** The services idevicebackup2 uses around a backup, spoken to directly. */
describe('simulated device services used around a backup', function () {
  this.timeout(60_000);
  let h: SimulatorHarness;
  let session: DeviceSession;

  before(async () => {
    h = await startSimulator({ devices: [{ udid: UDID, dataset: { files: 10, totalBytes: 1000, seed: 1 } }] });
    session = await DeviceSession.open(new UsbmuxClient(h.simulator.address), UDID);
  });
  after(async () => {
    await session?.close();
    if (h) await h.stop();
  });

  it('AFC: the sync lock is exclusive across connections and released on unlock and on close', async () => {
    const a = new TestAfc(await session.startService('com.apple.afc'));
    const b = new TestAfc(await session.startService('com.apple.afc'));
    try {
      const ha = await a.open(SYNC_LOCK_FILE, 2);
      const hb = await b.open(SYNC_LOCK_FILE, 2);
      assert.equal(await a.status(AFC_OPERATION.FileRefLock, Buffer.concat([encodeAfcU64(ha), encodeAfcU64(6)])), AFC_STATUS.Success);
      assert.equal(await b.status(AFC_OPERATION.FileRefLock, Buffer.concat([encodeAfcU64(hb), encodeAfcU64(6)])), AFC_STATUS.OpWouldBlock);
      assert.equal(await a.status(AFC_OPERATION.FileRefLock, Buffer.concat([encodeAfcU64(ha), encodeAfcU64(12)])), AFC_STATUS.Success);
      assert.equal(await b.status(AFC_OPERATION.FileRefLock, Buffer.concat([encodeAfcU64(hb), encodeAfcU64(6)])), AFC_STATUS.Success);
      // Closing the connection that holds the lock frees it, as flock does.
      b.connection.close();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await a.status(AFC_OPERATION.FileRefLock, Buffer.concat([encodeAfcU64(ha), encodeAfcU64(6)])), AFC_STATUS.Success);
      assert.equal(await a.status(AFC_OPERATION.FileRefClose, encodeAfcU64(ha)), AFC_STATUS.Success);
    } finally {
      a.connection.close();
      b.connection.close();
    }
  });

  it('AFC: file info, directories, writes and reads, and status codes for missing paths and unknown operations', async () => {
    const afc = new TestAfc(await session.startService('com.apple.afc'));
    try {
      assert.equal(await afc.status(AFC_OPERATION.GetFileInfo, encodeAfcStrings(['/Books/iBooksData2.plist'])), AFC_STATUS.ObjectNotFound);
      const info = await afc.request(AFC_OPERATION.GetFileInfo, encodeAfcStrings(['/iTunes_Control']));
      const pairs = decodeAfcStrings(info.data);
      assert.equal(pairs[pairs.indexOf('st_ifmt') + 1], 'S_IFDIR');
      assert.equal(await afc.status(AFC_OPERATION.MakeDir, encodeAfcStrings(['/iTunesRestore'])), AFC_STATUS.Success);
      const handle = await afc.open('/iTunesRestore/RestoreApplications.plist', 3);
      assert.equal(await afc.status(AFC_OPERATION.FileRefWrite, encodeAfcU64(handle), Buffer.from('<plist/>')), AFC_STATUS.Success);
      assert.equal(await afc.status(AFC_OPERATION.FileRefClose, encodeAfcU64(handle)), AFC_STATUS.Success);
      const listing = await afc.request(AFC_OPERATION.ReadDirectory, encodeAfcStrings(['/iTunesRestore']));
      assert.deepEqual(decodeAfcStrings(listing.data), ['.', '..', 'RestoreApplications.plist']);
      const reader = await afc.open('/iTunesRestore/RestoreApplications.plist', 1);
      const read = await afc.request(AFC_OPERATION.FileRefRead, Buffer.concat([encodeAfcU64(reader), encodeAfcU64(65536)]));
      assert.equal(read.data.toString(), '<plist/>');
      assert.equal(await afc.status(AFC_OPERATION.FileRefClose, encodeAfcU64(reader)), AFC_STATUS.Success);
      assert.equal(await afc.status(AFC_OPERATION.RemovePath, encodeAfcStrings(['/iTunesRestore'])), AFC_STATUS.DirNotEmpty);
      assert.equal(await afc.status(AFC_OPERATION.RemovePathAndContents, encodeAfcStrings(['/iTunesRestore'])), AFC_STATUS.Success);
      assert.equal(await afc.status(0x1c, encodeAfcStrings(['/a', '/b'])), AFC_STATUS.OpNotSupported);
      assert.equal(await afc.status(0x99, Buffer.alloc(0)), AFC_STATUS.UnknownPacketType);
    } finally {
      afc.connection.close();
    }
  });

  it('notification_proxy: relays observed notifications and answers Shutdown with ProxyDeath', async () => {
    const observer = await session.startService('com.apple.mobile.notification_proxy');
    const poster = await session.startService('com.apple.mobile.notification_proxy');
    try {
      observer.sendPlist({ Command: 'ObserveNotification', Name: 'com.example.test' });
      await new Promise((r) => setTimeout(r, 100));
      poster.sendPlist({ Command: 'PostNotification', Name: 'com.example.test' });
      assert.deepEqual(await observer.receivePlist(5000), { Command: 'RelayNotification', Name: 'com.example.test' });
      poster.sendPlist({ Command: 'Shutdown' });
      assert.deepEqual(await poster.receivePlist(5000), { Command: 'ProxyDeath' });
      assert.ok(h.simulator.device(UDID)?.notifications.posted.includes('com.example.test'));
    } finally {
      observer.close();
      poster.close();
    }
  });

  it('installation_proxy: Browse pages the user apps with SINF and iTunesMetadata, then says Complete', async () => {
    const proxy = await session.startService('com.apple.mobile.installation_proxy');
    try {
      proxy.sendPlist({ Command: 'Browse', ClientOptions: { ApplicationType: 'User', ReturnAttributes: ['CFBundleIdentifier', 'ApplicationSINF', 'iTunesMetadata'] } });
      const apps: PlistDict[] = [];
      for (;;) {
        const message = await proxy.receivePlist(5000);
        assert.ok(isPlistDict(message));
        if (getString(message, 'Status') === 'Complete') break;
        assert.equal(getString(message, 'Status'), 'BrowsingApplications');
        apps.push(...(getArray(message, 'CurrentList') ?? []).filter(isPlistDict));
      }
      assert.ok(apps.length >= 1);
      for (const app of apps) {
        assert.deepEqual(Object.keys(app).sort(), ['ApplicationSINF', 'CFBundleIdentifier', 'iTunesMetadata']);
        assert.ok(isPlistDict(parsePlist(app.iTunesMetadata as Buffer)));
      }
    } finally {
      proxy.close();
    }
  });

  it('springboardservices: returns a PNG icon per app', async () => {
    const sbs = await session.startService('com.apple.springboardservices');
    try {
      sbs.sendPlist({ command: 'getIconPNGData', bundleId: 'com.example.notes' });
      const reply = await sbs.receivePlist(5000);
      assert.ok(isPlistDict(reply) && Buffer.isBuffer(reply.pngData));
      assert.equal(reply.pngData.subarray(1, 4).toString('latin1'), 'PNG');
    } finally {
      sbs.close();
    }
  });
});
