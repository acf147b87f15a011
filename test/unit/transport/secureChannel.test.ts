import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import * as net from 'node:net';
import { isProtocolError } from '../../../src/common/errors';
import { createDeviceKeyPair, createPairingCertificates } from '../../../src/lockdown/pairingCertificates';
import { SecureChannel } from '../../../src/transport/secureChannel';

/** A connected pair of loopback TCP sockets. */
async function socketPair(): Promise<{ client: net.Socket; server: net.Socket; close(): void }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const serverSide = await accepted;
  return { client, server: serverSide, close: () => (client.destroy(), serverSide.destroy(), server.close()) };
}

const deviceKeys = createDeviceKeyPair();
const certs = createPairingCertificates(deviceKeys.publicKeyPkcs1Pem);
const deviceTls = { role: 'server' as const, certificatePem: certs.deviceCertificate, privateKeyPem: deviceKeys.privateKeyPem };

// Both ways the host runs TLS: over the channel's own duplex (lockdown's session) and natively on the socket (a service's session for life).
for (const forLife of [false, true]) describe(`TLS on a channel${forLife ? ' for life (native)' : ''}: the host checks the device certificate`, function () {
  this.timeout(30_000);
  const hostIdentity = { certificatePem: certs.hostCertificate, privateKeyPem: certs.hostPrivateKey, forLife };

  it('hands the check the certificate the device presented, then carries data', async () => {
    const sockets = await socketPair();
    try {
      const host = new SecureChannel(sockets.client, 'device');
      const device = new SecureChannel(sockets.server, 'host');
      const seen: string[] = [];
      await Promise.all([
        device.startTls(deviceTls),
        host.startTls({ role: 'client', ...hostIdentity, checkPeerCertificate: (cert) => void seen.push(cert?.fingerprint256 ?? 'none') }),
      ]);
      assert.equal(seen.length, 1);
      assert.equal(seen[0], new X509Certificate(certs.deviceCertificate).fingerprint256);
      host.write(Buffer.from('hello'));
      assert.equal((await device.incoming.read(5, 5000)).toString(), 'hello');
    } finally {
      sockets.close();
    }
  });

  it('a refused certificate fails startTls with the check\'s error and closes the channel before anything is sent', async () => {
    const sockets = await socketPair();
    try {
      const host = new SecureChannel(sockets.client, 'device');
      const device = new SecureChannel(sockets.server, 'host');
      const refusal = new Error('not the paired device');
      const [, hostResult] = await Promise.allSettled([
        device.startTls(deviceTls),
        host.startTls({ role: 'client', ...hostIdentity, checkPeerCertificate: () => { throw refusal; } }),
      ]);
      assert.equal(hostResult.status, 'rejected');
      assert.equal(hostResult.reason, refusal);
      assert.throws(() => host.write(Buffer.from('password')), /is closed/);
      // The device side sees the connection end (or break) without a byte of session data.
      await assert.rejects(device.incoming.read(1, 5000), (e) => isProtocolError(e) && !/did not answer in time/.test(e.message));
    } finally {
      sockets.close();
    }
  });

  it('carries a megabytes-long stream both ways byte for byte while the reader lags (the receive side pauses and resumes)', async () => {
    const sockets = await socketPair();
    try {
      const host = new SecureChannel(sockets.client, 'device');
      const device = new SecureChannel(sockets.server, 'host');
      await Promise.all([device.startTls(deviceTls), host.startTls({ role: 'client', ...hostIdentity, checkPeerCertificate: () => undefined })]);
      const payload = Buffer.alloc(5 * 1024 * 1024);
      for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE(i, i);
      device.write(payload);
      host.write(payload);
      // Nobody reads until well past the 1 MiB receive high-water mark: the sender's backlog must wait, not be lost.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(host.incoming.length <= 2 * 1024 * 1024, `the host buffered ${host.incoming.length} bytes: the receive side did not pause`);
      assert.ok((await host.incoming.read(payload.length, 10_000)).equals(payload));
      assert.ok((await device.incoming.read(payload.length, 10_000)).equals(payload));
      await host.drained(0);
    } finally {
      sockets.close();
    }
  });

  it('a device that drops the connection ends the host\'s stream with a sentence, not a hang', async () => {
    const sockets = await socketPair();
    try {
      const host = new SecureChannel(sockets.client, 'device');
      const device = new SecureChannel(sockets.server, 'host');
      await Promise.all([device.startTls(deviceTls), host.startTls({ role: 'client', ...hostIdentity, checkPeerCertificate: () => undefined })]);
      sockets.server.resetAndDestroy();
      await assert.rejects(host.incoming.read(1, 5000), (e) => isProtocolError(e) && /device/.test(e.message) && !/did not answer in time/.test(e.message));
    } finally {
      sockets.close();
    }
  });
});

describe('A TLS session for life', function () {
  this.timeout(30_000);

  it('refuses to go back to plaintext, and the session keeps working', async () => {
    const sockets = await socketPair();
    try {
      const host = new SecureChannel(sockets.client, 'device');
      const device = new SecureChannel(sockets.server, 'host');
      const hostTls = { role: 'client' as const, certificatePem: certs.hostCertificate, privateKeyPem: certs.hostPrivateKey, forLife: true, checkPeerCertificate: () => undefined };
      await Promise.all([device.startTls(deviceTls), host.startTls(hostTls)]);
      await assert.rejects(host.stopTls(true), /lasts as long as the connection/);
      assert.equal(host.isTls, true);
      device.write(Buffer.from('still TLS'));
      assert.equal((await host.incoming.read(9, 5000)).toString(), 'still TLS');
    } finally {
      sockets.close();
    }
  });
});
