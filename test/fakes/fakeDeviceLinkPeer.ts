import type { PlistValue } from '../../src/plist';
import type { DeviceLinkConnection } from '../../src/services/deviceLink';
import { ByteQueue } from '../../src/transport/byteQueue';
import { encodePlistFrame, readPlistFrame } from '../../src/transport/plistFrames';

/** The device end of an in-memory DeviceLink connection, driven by a test. */
export interface FakeDevice {
  send(value: PlistValue): void;
  sendRaw(bytes: Buffer): void;
  receive(timeoutMs?: number): Promise<PlistValue>;
  receiveRaw(n: number, timeoutMs?: number): Promise<Buffer>;
  /** The device hangs up. */
  close(): void;
}

/** A host connection and the fake device at its other end, joined by two in-memory byte queues. */
export function fakeDeviceLinkPair(): { host: DeviceLinkConnection & { closed: boolean }; device: FakeDevice } {
  const toHost = new ByteQueue('device');
  const toDevice = new ByteQueue('host');
  const limits = (timeoutMs: number) => ({ maxBytes: 64 * 1024 * 1024, timeoutMs });
  const host = {
    closed: false,
    sendPlist(value: PlistValue) {
      toDevice.push(encodePlistFrame(value, 'binary'));
    },
    receivePlist(timeoutMs = 2000) {
      return readPlistFrame(toHost, 'com.apple.mobilebackup2', limits(timeoutMs));
    },
    sendRaw(bytes: Buffer) {
      toDevice.push(Buffer.from(bytes));
    },
    receiveRaw(n: number, timeoutMs = 2000) {
      return toHost.read(n, timeoutMs);
    },
    close() {
      host.closed = true;
      toHost.end();
      toDevice.end();
    },
  };
  const device: FakeDevice = {
    send: (value) => toHost.push(encodePlistFrame(value, 'xml')),
    sendRaw: (bytes) => toHost.push(Buffer.from(bytes)),
    receive: (timeoutMs = 2000) => readPlistFrame(toDevice, 'host', limits(timeoutMs)),
    receiveRaw: (n, timeoutMs = 2000) => toDevice.read(n, timeoutMs),
    close: () => toHost.end(),
  };
  return { host, device };
}
