import type { PlistValue } from '../../src/plist';
import { parseDLMessage } from '../../src/services/deviceLinkCodec';
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

/** The status response the host sent next, as the device reads it (anything else fails). */
export async function receiveStatus(device: FakeDevice): Promise<{ code: number; text: string | undefined; value: PlistValue | undefined }> {
  const message = parseDLMessage(await device.receive(), 'host');
  if (message.name !== 'DLMessageStatusResponse') throw new Error(`expected a status response, got ${message.name}`);
  return { code: message.code, text: message.text, value: message.value };
}

/** A file's content as the one-chunk stream encodeUploadedFile reads. */
export async function* bytesOf(text: string | Buffer): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}
