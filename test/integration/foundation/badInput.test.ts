import assert from 'node:assert/strict';
import * as net from 'node:net';
import { isProtocolError } from '../../../src/common/errors';
import { LockdownClient } from '../../../src/lockdown/lockdownClient';
import { buildXmlPlist } from '../../../src/plist';
import { encodeUsbmuxPacket } from '../../../src/usbmux/protocol';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const UDID = '00008110-000A1B2C3D4E801E';

/** Sends raw bytes to a server and resolves when it closes the connection (or rejects after a while). */
function sendAndExpectClose(port: number, chunks: Buffer[], endAfter = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept the connection open'));
    }, 5000);
    socket.on('data', (d) => received.push(d));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(received));
    });
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      if (endAfter) socket.end();
    });
  });
}

const plistPacket = (message: object, length?: number): Buffer => {
  const packet = encodeUsbmuxPacket(1, 8, 1, Buffer.from(buildXmlPlist(message as never), 'utf8'));
  if (length !== undefined) packet.writeUInt32LE(length, 0);
  return packet;
};

/** A one-shot fake server that answers every connection with the given bytes. */
async function hostileServer(reply: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer(reply);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

describe('bad input over real sockets', function () {
  this.timeout(30_000);
  let h: SimulatorHarness;
  let port: number;

  before(async () => {
    h = await startSimulator({ devices: [{ udid: UDID }] });
    port = Number(h.address.split(':').pop());
  });
  after(async () => h && (await h.stop()));

  async function simulatorStillServes(): Promise<void> {
    const devices = await new UsbmuxClient({ kind: 'tcp', host: '127.0.0.1', port }).listDevices();
    assert.deepEqual(devices.map((d) => d.udid), [UDID]);
  }

  describe('the simulator (device side) closes the connection and keeps running', () => {
    it('on a usbmux length prefix over the cap', async () => {
      await sendAndExpectClose(port, [plistPacket({ MessageType: 'ListDevices' }, 0x7fffffff)]);
      await simulatorStillServes();
    });
    it('on a length below the header size', async () => {
      await sendAndExpectClose(port, [plistPacket({ MessageType: 'ListDevices' }, 3)]);
      await simulatorStillServes();
    });
    it('on a truncated usbmux packet', async () => {
      await sendAndExpectClose(port, [plistPacket({ MessageType: 'ListDevices' }).subarray(0, 30)], true);
      await simulatorStillServes();
    });
    it('on a payload that is not a plist', async () => {
      await sendAndExpectClose(port, [encodeUsbmuxPacket(1, 8, 1, Buffer.from('\x00\x01 definitely not a plist'))]);
      await simulatorStillServes();
    });
    it('on a lockdown frame over the cap, after a real Connect', async () => {
      const connect = plistPacket({ MessageType: 'Connect', DeviceID: 1, PortNumber: 32498 });
      const huge = Buffer.from([0x7f, 0, 0, 0]);
      const reply = await sendAndExpectClose(port, [connect, huge]);
      assert.ok(reply.length >= 16, 'usbmuxd answered the Connect first');
      await simulatorStillServes();
    });
    it('on a lockdown frame that is not a plist', async () => {
      const connect = plistPacket({ MessageType: 'Connect', DeviceID: 1, PortNumber: 32498 });
      const body = Buffer.from('garbage garbage');
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(body.length);
      await sendAndExpectClose(port, [connect, prefix, body]);
      await simulatorStillServes();
    });
  });

  describe('our host side reports a hostile peer in one sentence', () => {
    it('a usbmuxd sending an impossible length', async () => {
      const s = await hostileServer((socket) => socket.on('data', () => socket.write(plistPacket({ DeviceList: [] }, 0x7ffffff0))));
      try {
        await assert.rejects(new UsbmuxClient({ kind: 'tcp', host: '127.0.0.1', port: s.port }).listDevices(), (e) => isProtocolError(e) && /impossible length/.test(e.message));
      } finally {
        await s.close();
      }
    });
    it('a usbmuxd sending something that is not a plist', async () => {
      const s = await hostileServer((socket) => socket.on('data', () => socket.write(encodeUsbmuxPacket(1, 8, 1, Buffer.from('nope')))));
      try {
        await assert.rejects(new UsbmuxClient({ kind: 'tcp', host: '127.0.0.1', port: s.port }).listDevices(), (e) => isProtocolError(e) && /not a property list/.test(e.message));
      } finally {
        await s.close();
      }
    });
    it('a usbmuxd closing in the middle of a reply (CLI: exit 1, one line)', async () => {
      const s = await hostileServer((socket) => socket.on('data', () => socket.end(plistPacket({ DeviceList: [] }).subarray(0, 20))));
      try {
        const r = await runCli(['devices'], { ...process.env, USBMUXD_SOCKET_ADDRESS: `127.0.0.1:${s.port}` });
        assert.equal(r.code, 1);
        assert.equal(r.stderr.trim().split('\n').length, 1);
        assert.match(r.stderr, /closed the connection in the middle of a message/);
      } finally {
        await s.close();
      }
    });
    it('a device whose lockdownd sends an oversized frame', async () => {
      // A usbmuxd that accepts Connect and then plays a hostile lockdownd.
      const s = await hostileServer((socket) => {
        socket.once('data', () => {
          socket.write(plistPacket({ MessageType: 'Result', Number: 0 }));
          socket.once('data', () => socket.write(Buffer.from([0x40, 0, 0, 0])));
        });
      });
      try {
        const mux = new UsbmuxClient({ kind: 'tcp', host: '127.0.0.1', port: s.port });
        const device = { deviceId: 1, udid: UDID, connectionType: 'USB' as const };
        await assert.rejects(LockdownClient.connect(mux, device), (e) => isProtocolError(e) && /over the limit/.test(e.message));
      } finally {
        await s.close();
      }
    });
  });
});
