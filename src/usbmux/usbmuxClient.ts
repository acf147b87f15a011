import * as net from 'node:net';
import { MuxError, ProtocolError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { buildXmlPlist, getArray, getData, getInteger, getString, isPlistDict, parsePlist, type PlistDict } from '../plist';
import { ByteQueue } from '../transport/byteQueue';
import { muxErrorFromResult, muxUnreachableError } from './muxErrors';
import {
  decodeUsbmuxHeader,
  encodeUsbmuxPacket,
  USBMUX_HEADER_SIZE,
  USBMUX_MAX_PACKET,
  USBMUX_VERSION_PLIST,
  UsbmuxMessageType,
  swapPortBytes,
} from './protocol';
import { formatUsbmuxdAddress, netOptionsFor, type UsbmuxdAddress } from './socketAddress';
import { deviceFromAttached, preferUsb, type UsbmuxDevice } from './usbmuxDevice';

/** Hot-plug notifications from a Listen connection. */
export interface DeviceEvents {
  onAttached(device: UsbmuxDevice): void;
  onDetached(deviceId: number): void;
  onPaired?(deviceId: number): void;
  /** The Listen connection ended (usbmuxd stopped); error says why when it was not a clean close. */
  onClosed?(error?: Error): void;
}

/** A running Listen subscription. */
export interface DeviceWatch {
  dispose(): void;
}

/** errno usbmuxd puts in Result for a pair record that does not exist. */
const ENOENT = 2;

const CLIENT_FIELDS = { ClientVersionString: 'iosbr', ProgName: 'iosbr', kLibUSBMuxVersion: 3 };

/** How long usbmuxd may take to answer a request (libusbmuxd waits 5 s for Connect). */
const REQUEST_TIMEOUT_MS = 5000;

/**
 * The host's view of usbmuxd: device list, hot-plug events, tunnels to device ports and the pair
 * record store. Every request, Connect included, uses the plist framing here, with length caps.
 */
export class UsbmuxClient {
  private readonly addressText: string;

  constructor(
    readonly address: UsbmuxdAddress,
    private readonly logger: Logger = silentLogger,
  ) {
    this.addressText = formatUsbmuxdAddress(address);
  }

  /** Lists attached devices (one entry per UDID, USB preferred). */
  async listDevices(): Promise<UsbmuxDevice[]> {
    const reply = await this.request({ MessageType: 'ListDevices' }, 'ListDevices');
    const list = getArray(reply, 'DeviceList');
    if (!list) throw new ProtocolError('usbmuxd answered ListDevices without a DeviceList.', 'usbmuxd');
    return preferUsb(list.map(deviceFromAttached));
  }

  /** Finds an attached device by UDID (dashes optional), or throws a MuxError naming it. */
  async findDevice(udid: string): Promise<UsbmuxDevice> {
    const wanted = udid.replace(/-/g, '').toLowerCase();
    const device = (await this.listDevices()).find((d) => d.udid.replace(/-/g, '').toLowerCase() === wanted);
    if (!device) throw new MuxError(`No device with UDID ${udid} is attached.`, 'usbmux.no-device', this.addressText);
    return device;
  }

  /** Reads the host's system BUID (used in pair records and StartSession). */
  async readBuid(): Promise<string> {
    const reply = await this.request({ MessageType: 'ReadBUID' }, 'ReadBUID');
    const buid = getString(reply, 'BUID');
    if (!buid) throw new ProtocolError('usbmuxd answered ReadBUID without a BUID.', 'usbmuxd');
    return buid;
  }

  /** Reads the stored pair record bytes for a UDID, or undefined when there is none. */
  async readPairRecord(udid: string): Promise<Buffer | undefined> {
    try {
      const reply = await this.request({ MessageType: 'ReadPairRecord', PairRecordID: udid }, 'ReadPairRecord');
      const data = getData(reply, 'PairRecordData');
      if (!data) throw new ProtocolError('usbmuxd answered ReadPairRecord without PairRecordData.', 'usbmuxd');
      return data;
    } catch (err) {
      if (err instanceof MuxError && err.resultNumber === ENOENT) return undefined;
      throw err;
    }
  }

  /** Stores a pair record (binary or XML plist bytes); with deviceId usbmuxd announces Paired. */
  async savePairRecord(udid: string, record: Buffer, deviceId?: number): Promise<void> {
    const message: PlistDict = { MessageType: 'SavePairRecord', PairRecordID: udid, PairRecordData: record };
    if (deviceId !== undefined) message.DeviceID = deviceId;
    await this.request(message, 'SavePairRecord');
  }

  /** Deletes the stored pair record of a UDID (no error when there was none). */
  async deletePairRecord(udid: string): Promise<void> {
    try {
      await this.request({ MessageType: 'DeletePairRecord', PairRecordID: udid }, 'DeletePairRecord');
    } catch (err) {
      if (err instanceof MuxError && err.resultNumber === ENOENT) return;
      throw err;
    }
  }

  /** Opens a raw tunnel to a TCP port on the device. */
  async connect(device: UsbmuxDevice, port: number): Promise<net.Socket> {
    const what = `Connect to port ${port} of ${device.udid}`;
    this.logger.trace('Connect', { udid: device.udid, port });
    const socket = await this.open();
    const reader = readReplies(socket);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MuxError(`usbmuxd did not answer ${what} in time.`, 'usbmux.timeout', this.addressText)), REQUEST_TIMEOUT_MS);
    });
    try {
      socket.write(this.packet({ MessageType: 'Connect', DeviceID: device.deviceId, PortNumber: swapPortBytes(port) }, 1));
      const reply = await Promise.race([readUsbmuxPlist(reader.queue, 0), timeout]);
      const number = getInteger(reply, 'Number');
      if (getString(reply, 'MessageType') !== 'Result' || number === undefined) {
        throw new ProtocolError(`usbmuxd answered ${what} with something other than a Result.`, 'usbmuxd');
      }
      if (number !== 0) throw muxErrorFromResult(number, what, this.addressText);
      // From here on the socket is the tunnel: bytes the device sent right behind the reply are
      // its first bytes, handed back to the socket for whoever reads it next.
      const early = reader.detach();
      if (early.length) socket.unshift(early);
      return socket;
    } catch (err) {
      socket.destroy();
      if (err instanceof MuxError) throw err;
      if (err instanceof ProtocolError && !reader.queue.isEnded) throw err;
      throw new MuxError(`usbmuxd closed the connection during ${what}.`, 'usbmux.closed', this.addressText, undefined, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Subscribes to attach/detach events; the current devices arrive first as Attached. */
  async watch(events: DeviceEvents): Promise<DeviceWatch> {
    const socket = await this.open();
    const { queue } = readReplies(socket);
    try {
      socket.write(this.packet({ MessageType: 'Listen' }, 1));
      const first = await readUsbmuxPlist(queue, REQUEST_TIMEOUT_MS);
      const result = getInteger(first, 'Number');
      if (getString(first, 'MessageType') !== 'Result' || result !== 0) throw muxErrorFromResult(result ?? -1, 'Listen', this.addressText);
    } catch (err) {
      // No watch is returned, so nobody else could ever close this socket.
      socket.destroy();
      throw err;
    }
    let disposed = false;
    void (async () => {
      try {
        for (;;) {
          const message = await readUsbmuxPlist(queue, 0);
          const type = getString(message, 'MessageType');
          const deviceId = getInteger(message, 'DeviceID');
          if (type === 'Attached') events.onAttached(deviceFromAttached(message));
          else if (type === 'Detached' && deviceId !== undefined) events.onDetached(deviceId);
          else if (type === 'Paired' && deviceId !== undefined) events.onPaired?.(deviceId);
          else this.logger.debug('ignored usbmuxd event', { type });
        }
      } catch (err) {
        socket.destroy();
        if (!disposed) events.onClosed?.(err instanceof ProtocolError && queue.isEnded && /closed the connection\.$/.test(err.message) ? undefined : (err as Error));
      }
    })();
    return {
      dispose: () => {
        disposed = true;
        socket.destroy();
      },
    };
  }

  /** One request/reply exchange on a fresh socket, as libusbmuxd does. */
  private async request(message: PlistDict, what: string): Promise<PlistDict> {
    const socket = await this.open();
    const { queue } = readReplies(socket);
    try {
      this.logger.trace('→ usbmuxd', { MessageType: what });
      socket.write(this.packet(message, 1));
      const reply = await readUsbmuxPlist(queue, REQUEST_TIMEOUT_MS);
      if (getString(reply, 'MessageType') === 'Result') {
        const number = getInteger(reply, 'Number') ?? -1;
        if (number !== 0) throw muxErrorFromResult(number, what, this.addressText);
      }
      return reply;
    } finally {
      socket.destroy();
    }
  }

  private packet(message: PlistDict, tag: number): Buffer {
    const payload = Buffer.from(buildXmlPlist({ ...message, ...CLIENT_FIELDS }), 'utf8');
    return encodeUsbmuxPacket(USBMUX_VERSION_PLIST, UsbmuxMessageType.Plist, tag, payload);
  }

  private open(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(netOptionsFor(this.address));
      const onError = (err: Error) => reject(muxUnreachableError(this.addressText, err));
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve(socket);
      });
      socket.once('error', onError);
    });
  }
}

/** Queues what usbmuxd sends on a socket until detach(), which hands back the bytes not read yet. */
function readReplies(socket: net.Socket): { queue: ByteQueue; detach(): Buffer } {
  const queue = new ByteQueue('usbmuxd');
  const onData = (chunk: Buffer): void => queue.push(chunk);
  const onEnd = (): void => queue.end();
  const onError = (err: Error): void => queue.end(err);
  socket.on('data', onData);
  socket.on('close', onEnd);
  socket.on('error', onError);
  return {
    queue,
    detach: () => {
      // Paused so nothing is emitted before the next owner listens (SecureChannel resumes it).
      socket.pause();
      socket.off('data', onData);
      socket.off('close', onEnd);
      socket.off('error', onError);
      return queue.drain();
    },
  };
}

/** Reads one usbmux plist packet, refusing oversized or non-plist payloads. */
export async function readUsbmuxPlist(queue: ByteQueue, timeoutMs: number): Promise<PlistDict> {
  const header = decodeUsbmuxHeader(await queue.read(USBMUX_HEADER_SIZE, timeoutMs));
  if (header.length < USBMUX_HEADER_SIZE || header.length > USBMUX_MAX_PACKET) {
    throw new ProtocolError(`usbmuxd sent a packet with an impossible length (${header.length} bytes).`, 'usbmuxd');
  }
  const payload = await queue.read(header.length - USBMUX_HEADER_SIZE, timeoutMs);
  if (header.message !== UsbmuxMessageType.Plist) {
    throw new ProtocolError(`usbmuxd sent a binary-protocol message (type ${header.message}) where a plist was expected.`, 'usbmuxd');
  }
  let value;
  try {
    value = parsePlist(payload);
  } catch (err) {
    throw new ProtocolError('usbmuxd sent a payload that is not a property list.', 'usbmuxd', { cause: err });
  }
  if (!isPlistDict(value)) throw new ProtocolError('usbmuxd sent a property list that is not a dictionary.', 'usbmuxd');
  return value;
}
