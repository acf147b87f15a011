import * as net from 'node:net';

/**
 * A loopback port nothing listens on (bound, then released), for a usbmuxd address that is "not running" whatever
 * this machine has.
 */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
