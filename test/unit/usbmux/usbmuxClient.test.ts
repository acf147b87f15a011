import assert from 'node:assert/strict';
import * as net from 'node:net';
import { isMuxError, isProtocolError } from '../../../src/common/errors';
import { buildXmlPlist, getInteger, getString, type PlistDict } from '../../../src/plist';
import { ByteQueue } from '../../../src/transport/byteQueue';
import { encodeUsbmuxPacket, USBMUX_HEADER_SIZE } from '../../../src/usbmux/protocol';
import { readUsbmuxPlist, UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import type { UsbmuxDevice } from '../../../src/usbmux/usbmuxDevice';

const DEVICE: UsbmuxDevice = { deviceId: 7, udid: '00008110-000A1B2C3D4E801E', connectionType: 'USB' };

const plistPacket = (message: PlistDict): Buffer => encodeUsbmuxPacket(1, 8, 1, Buffer.from(buildXmlPlist(message), 'utf8'));

/** A usbmux header claiming `length` bytes, with nothing behind it yet. */
function headerClaiming(length: number): Buffer {
  const header = Buffer.alloc(USBMUX_HEADER_SIZE);
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(1, 4);
  header.writeUInt32LE(8, 8);
  header.writeUInt32LE(1, 12);
  return header;
}

/** A fake usbmuxd on a loopback port: `serve` plays it for each connection, after the client's first packet arrived. */
interface FakeUsbmuxd {
  client: UsbmuxClient;
  /** Each connection: its first request, the server's end of it, and when the server saw it close. */
  connections: Array<{ request: PlistDict; socket: net.Socket; closed: Promise<void> }>;
  close(): Promise<void>;
}

async function fakeUsbmuxd(serve: (socket: net.Socket, request: PlistDict) => void): Promise<FakeUsbmuxd> {
  const connections: FakeUsbmuxd['connections'] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const queue = new ByteQueue('host');
    socket.on('data', (chunk: Buffer) => queue.push(chunk));
    socket.on('close', () => queue.end());
    void readUsbmuxPlist(queue, 5000).then(
      (request) => {
        connections.push({ request, socket, closed });
        serve(socket, request);
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    client: new UsbmuxClient({ kind: 'tcp', host: '127.0.0.1', port }),
    connections,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves true when the promise settles within ms, false otherwise. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => (clearTimeout(timer), resolve(true)));
  });
}

/** Reads exactly n bytes from a socket handed over paused (as connect() returns it). */
function readFromTunnel(socket: net.Socket, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    socket.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= n) resolve(Buffer.concat(parts).subarray(0, n));
    });
    socket.on('error', reject);
    socket.resume();
  });
}

describe('usbmuxd client over a loopback socket', function () {
  this.timeout(20_000);
  let fake: FakeUsbmuxd | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  describe('Connect', () => {
    it('sends DeviceID and the byte-swapped port, and hands over bytes the device sent right behind the Result', async () => {
      fake = await fakeUsbmuxd((socket) => socket.write(Buffer.concat([plistPacket({ MessageType: 'Result', Number: 0 }), Buffer.from('early')])));
      const tunnel = await fake.client.connect(DEVICE, 62078);
      try {
        const request = fake.connections[0].request;
        assert.equal(getString(request, 'MessageType'), 'Connect');
        assert.equal(getInteger(request, 'DeviceID'), 7);
        assert.equal(getInteger(request, 'PortNumber'), 32498);
        assert.equal((await readFromTunnel(tunnel, 5)).toString(), 'early');
        // The tunnel is raw from here: the fake usbmuxd sees exactly what the host writes.
        const echoed = new Promise<Buffer>((resolve) => tunnel.once('data', resolve));
        const serverSide = fake.connections[0].socket;
        serverSide.once('data', (chunk: Buffer) => serverSide.write(chunk));
        tunnel.write('ping');
        assert.equal((await echoed).toString(), 'ping');
      } finally {
        tunnel.destroy();
      }
    });

    it('refuses a reply claiming 4 GiB at once, without buffering what follows', async () => {
      const oneMiB = Buffer.alloc(1024 * 1024, 0x41);
      let offered = 0;
      fake = await fakeUsbmuxd((socket) => {
        // Behind the header, up to 256 MiB as fast as the client takes it, one reused buffer at a time.
        const pump = (): void => {
          while (offered < 256 * oneMiB.length && !socket.destroyed) {
            offered += oneMiB.length;
            if (!socket.write(oneMiB)) return void socket.once('drain', pump);
          }
        };
        socket.write(headerClaiming(0xfffffff0));
        pump();
      });
      const before = process.memoryUsage().arrayBuffers;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
      try {
        await assert.rejects(fake.client.connect(DEVICE, 62078), (e) => isProtocolError(e) && /impossible length \(4294967280 bytes\)/.test(e.message));
      } finally {
        clearInterval(sampler);
      }
      await fake.connections[0].closed;
      assert.ok(offered < 64 * oneMiB.length, `the client took ${offered / oneMiB.length} MiB before closing`);
      assert.ok(peak - before < 64 * oneMiB.length, `buffers grew by ${Math.round((peak - before) / oneMiB.length)} MiB`);
    });

    it('refuses a reply that is not a property list, in one sentence', async () => {
      fake = await fakeUsbmuxd((socket) => socket.write(encodeUsbmuxPacket(1, 8, 1, Buffer.from('<plist><dict><key>Number</key><integer>0'))));
      await assert.rejects(fake.client.connect(DEVICE, 62078), (e) => isProtocolError(e) && e.message === 'usbmuxd sent a payload that is not a property list.');
      await fake.connections[0].closed;
    });

    it('refuses a reply that is not a Result', async () => {
      fake = await fakeUsbmuxd((socket) => socket.write(plistPacket({ MessageType: 'Attached', DeviceID: 7 })));
      await assert.rejects(fake.client.connect(DEVICE, 62078), (e) => isProtocolError(e) && /answered Connect to port 62078 of .* with something other than a Result/.test(e.message));
    });

    it('maps a refused port to the usbmuxd result sentence', async () => {
      fake = await fakeUsbmuxd((socket) => socket.write(plistPacket({ MessageType: 'Result', Number: 3 })));
      await assert.rejects(fake.client.connect(DEVICE, 1234), (e) => isMuxError(e) && e.code === 'usbmux.result.3' && /nothing is listening on that port/.test(e.message));
      await fake.connections[0].closed;
    });

    it('reports usbmuxd closing in the middle of the reply as a closed connection', async () => {
      fake = await fakeUsbmuxd((socket) => socket.end(plistPacket({ MessageType: 'Result', Number: 0 }).subarray(0, 20)));
      await assert.rejects(fake.client.connect(DEVICE, 62078), (e) => isMuxError(e) && e.code === 'usbmux.closed' && /closed the connection during Connect/.test(e.message));
    });
  });

  describe('watch', () => {
    it('closes its socket when the first Listen reply cannot be read', async () => {
      fake = await fakeUsbmuxd((socket) => socket.write(encodeUsbmuxPacket(1, 8, 1, Buffer.from('not a plist'))));
      await assert.rejects(fake.client.watch({ onAttached: () => undefined, onDetached: () => undefined }), (e) => isProtocolError(e) && /not a property list/.test(e.message));
      assert.ok(await settlesWithin(fake.connections[0].closed, 2000), 'the Listen socket was left open');
    });

    it('closes its socket when usbmuxd refuses Listen', async () => {
      fake = await fakeUsbmuxd((socket) => socket.write(plistPacket({ MessageType: 'Result', Number: 1 })));
      await assert.rejects(fake.client.watch({ onAttached: () => undefined, onDetached: () => undefined }), (e) => isMuxError(e) && e.code === 'usbmux.result.1');
      assert.ok(await settlesWithin(fake.connections[0].closed, 2000), 'the Listen socket was left open');
    });
  });
});
