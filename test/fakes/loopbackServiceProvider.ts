import * as net from 'node:net';
import { isProtocolError } from '../../src/common/errors';
import type { ServiceProvider } from '../../src/lockdown/serviceProvider';
import { ServiceConnection } from '../../src/transport/serviceConnection';

/** Serves the device side of one started service in a test. */
export type FakeServiceHandler = (device: ServiceConnection) => Promise<void> | void;

/**
 * A ServiceProvider whose services are real loopback TCP connections; the test supplies the device
 * side of each service by name. startService of an unknown name fails like lockdownd's InvalidService.
 * close() rethrows what a device side threw, so a broken fake or an unexpected message fails the test
 * that caused it; only the host hanging up (the device's read ends) is a device side's normal end.
 */
export async function loopbackServiceProvider(handlers: Record<string, FakeServiceHandler>): Promise<ServiceProvider & { started: string[]; close(): Promise<void> }> {
  const pending: Array<(socket: net.Socket) => void> = [];
  const server = net.createServer((socket) => pending.shift()?.(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const started: string[] = [];
  const deviceSides: ServiceConnection[] = [];
  const served: Array<Promise<void>> = [];
  return {
    udid: '00008110-000A1B2C3D4E801E',
    started,
    async startService(name) {
      const handler = handlers[name];
      if (!handler) throw new Error(`InvalidService ${name}`);
      started.push(name);
      const accepted = new Promise<net.Socket>((resolve) => pending.push(resolve));
      const client = net.connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => client.once('connect', resolve));
      const device = new ServiceConnection(await accepted, 'host');
      deviceSides.push(device);
      const hungUp = (e: unknown) => isProtocolError(e) && device.channel.incoming.isEnded;
      const serving = Promise.resolve(handler(device)).catch((e: unknown) => {
        if (hungUp(e)) return undefined;
        throw e;
      });
      // Handled here so Node does not report it as unhandled before close() rethrows it.
      serving.catch(() => undefined);
      served.push(serving);
      return new ServiceConnection(client, name);
    },
    async close() {
      for (const d of deviceSides) d.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const failed = (await Promise.allSettled(served)).find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
