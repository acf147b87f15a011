import * as net from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import type { Logger } from '../common/logger';
import { buildXmlPlist, getData, getInteger, getString, parsePlist, isPlistDict, type PlistDict } from '../plist';
import { ByteQueue } from '../transport/byteQueue';
import {
  decodeUsbmuxHeader,
  encodeUsbmuxPacket,
  swapPortBytes,
  USBMUX_HEADER_SIZE,
  USBMUX_MAX_PACKET,
  USBMUX_VERSION_PLIST,
  UsbmuxMessageType,
  UsbmuxResult,
} from '../usbmux/protocol';
import { type UsbmuxdAddress } from '../usbmux/socketAddress';
import type { SimulatorState } from './simulatorState';
import type { VirtualDevice } from './virtualDevice';

/** errno values usbmuxd puts in Result for pair-record commands. */
const ENOENT = 2;
const EINVAL = 22;

/** The devices the virtual usbmuxd serves, owned by the simulator. */
export interface DeviceRegistry {
  attached(): VirtualDevice[];
  byId(deviceId: number): VirtualDevice | undefined;
  /** Handles the simulator's own control message (attach/detach a device by UDID). */
  control(action: string, udid: string): boolean;
}

/** The Attached-style entry for a device. */
function attachedEntry(device: VirtualDevice): PlistDict {
  return {
    DeviceID: device.deviceId,
    MessageType: 'Attached',
    Properties: {
      ConnectionSpeed: 480000000,
      ConnectionType: device.spec.connectionType,
      DeviceID: device.deviceId,
      LocationID: 0x14100000 + device.deviceId,
      ProductID: 0x12a8,
      SerialNumber: device.udid,
    },
  };
}

/**
 * A usbmuxd that serves simulated devices: ListDevices, Listen (Attached/Detached/Paired),
 * Connect (tunnels into the device's daemons), ReadBUID and the pair-record store, in the plist
 * protocol libusbmuxd speaks.
 */
export class VirtualUsbmuxd {
  private readonly server: net.Server;
  private readonly listeners = new Set<net.Socket>();
  private readonly clients = new Set<net.Socket>();

  constructor(
    private readonly registry: DeviceRegistry,
    private readonly state: SimulatorState,
    private readonly logger: Logger,
  ) {
    this.server = net.createServer((socket) => this.serve(socket));
  }

  /** Starts listening; resolves with the bound address (port 0 becomes the real port). */
  async listen(address: UsbmuxdAddress): Promise<UsbmuxdAddress> {
    if (address.kind === 'unix' && existsSync(address.path)) unlinkSync(address.path);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      if (address.kind === 'unix') this.server.listen(address.path, resolve);
      else this.server.listen(address.port, address.host, resolve);
    });
    const bound = this.server.address();
    if (address.kind === 'tcp' && bound && typeof bound === 'object') return { kind: 'tcp', host: address.host, port: bound.port };
    return address;
  }

  /** Tells every Listen client a device arrived. */
  announceAttached(device: VirtualDevice): void {
    this.broadcast(attachedEntry(device));
  }

  /** Tells every Listen client a device left. */
  announceDetached(deviceId: number): void {
    this.broadcast({ MessageType: 'Detached', DeviceID: deviceId });
  }

  /** Stops accepting connections and closes every open one. */
  async close(): Promise<void> {
    for (const s of this.clients) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private broadcast(message: PlistDict): void {
    for (const socket of this.listeners) socket.write(this.packet(message, 0));
  }

  private packet(message: PlistDict, tag: number): Buffer {
    return encodeUsbmuxPacket(USBMUX_VERSION_PLIST, UsbmuxMessageType.Plist, tag, Buffer.from(buildXmlPlist(message), 'utf8'));
  }

  private serve(socket: net.Socket): void {
    this.clients.add(socket);
    const queue = new ByteQueue('usbmuxd client');
    const onData = (chunk: Buffer) => queue.push(chunk);
    socket.on('data', onData);
    socket.on('close', () => {
      queue.end();
      this.clients.delete(socket);
      this.listeners.delete(socket);
    });
    socket.on('error', () => queue.end());
    const log = this.logger.child('usbmuxd');
    void (async () => {
      try {
        for (;;) {
          const header = decodeUsbmuxHeader(await queue.read(USBMUX_HEADER_SIZE));
          if (header.length < USBMUX_HEADER_SIZE || header.length > USBMUX_MAX_PACKET) {
            throw new Error(`a packet length of ${header.length} bytes is outside 16..${USBMUX_MAX_PACKET}`);
          }
          const payload = await queue.read(header.length - USBMUX_HEADER_SIZE);
          if (header.version !== USBMUX_VERSION_PLIST || header.message !== UsbmuxMessageType.Plist) {
            socket.write(encodeUsbmuxPacket(header.version, UsbmuxMessageType.Result, header.tag, this.resultPayload(header.version, UsbmuxResult.BadVersion)));
            continue;
          }
          let message;
          try {
            message = parsePlist(payload);
          } catch {
            throw new Error('the payload is not a property list');
          }
          if (!isPlistDict(message)) throw new Error('the payload is not a dictionary');
          const outcome = this.handle(socket, message, header.tag, log);
          if (outcome === 'tunnel') {
            return this.startTunnel(socket, message, header.tag, queue, onData, log);
          }
        }
      } catch (err) {
        if (!queue.isEnded || queue.length > 0) log.warn('closing a usbmuxd client that sent a bad packet', { reason: (err as Error).message });
        socket.destroy();
      }
    })();
  }

  private resultPayload(version: number, result: number): Buffer {
    if (version === USBMUX_VERSION_PLIST) return Buffer.from(buildXmlPlist({ MessageType: 'Result', Number: result }), 'utf8');
    const b = Buffer.alloc(4);
    b.writeUInt32LE(result, 0);
    return b;
  }

  private handle(socket: net.Socket, message: PlistDict, tag: number, log: Logger): 'tunnel' | void {
    const type = getString(message, 'MessageType');
    const result = (n: number) => socket.write(this.packet({ MessageType: 'Result', Number: n }, tag));
    const udid = getString(message, 'PairRecordID');
    log.trace('← message', { MessageType: type ?? '?' });
    switch (type) {
      case 'ListDevices':
        socket.write(this.packet({ DeviceList: this.registry.attached().map(attachedEntry) }, tag));
        return;
      case 'Listen':
        result(UsbmuxResult.Ok);
        this.listeners.add(socket);
        for (const device of this.registry.attached()) socket.write(this.packet(attachedEntry(device), 0));
        return;
      case 'Connect':
        return 'tunnel';
      case 'ReadBUID':
        socket.write(this.packet({ BUID: this.state.systemBuid() }, tag));
        return;
      case 'ReadPairRecord': {
        const record = udid ? this.state.readPairRecord(udid) : undefined;
        if (!udid) return void result(EINVAL);
        if (!record) return void result(ENOENT);
        socket.write(this.packet({ PairRecordData: record }, tag));
        return;
      }
      case 'SavePairRecord': {
        const data = getData(message, 'PairRecordData');
        if (!udid || !data) return void result(EINVAL);
        this.state.savePairRecord(udid, data);
        result(UsbmuxResult.Ok);
        const deviceId = getInteger(message, 'DeviceID');
        const device = deviceId !== undefined ? this.registry.byId(deviceId) : undefined;
        if (device && device.udid === udid) this.broadcast({ MessageType: 'Paired', DeviceID: device.deviceId });
        return;
      }
      case 'DeletePairRecord':
        if (!udid) return void result(EINVAL);
        result(this.state.deletePairRecord(udid) ? UsbmuxResult.Ok : ENOENT);
        return;
      case 'ListListeners':
        socket.write(this.packet({ ListenerList: [] }, tag));
        return;
      case 'SimulatorControl': {
        const action = getString(message, 'Action') ?? '';
        const target = getString(message, 'UDID') ?? '';
        result(this.registry.control(action, target) ? UsbmuxResult.Ok : UsbmuxResult.BadDevice);
        return;
      }
      default:
        result(UsbmuxResult.BadCommand);
    }
  }

  private startTunnel(socket: net.Socket, message: PlistDict, tag: number, queue: ByteQueue, onData: (c: Buffer) => void, log: Logger): void {
    const result = (n: number) => socket.write(this.packet({ MessageType: 'Result', Number: n }, tag));
    const deviceId = getInteger(message, 'DeviceID');
    const portNumber = getInteger(message, 'PortNumber');
    const device = deviceId !== undefined ? this.registry.byId(deviceId) : undefined;
    if (!device || portNumber === undefined) {
      result(device ? UsbmuxResult.BadCommand : UsbmuxResult.BadDevice);
      socket.end();
      return;
    }
    const port = swapPortBytes(portNumber);
    if (!device.listensOn(port)) {
      log.debug('connection refused', { udid: device.udid, port });
      result(UsbmuxResult.ConnectionRefused);
      socket.end();
      return;
    }
    // Stop parsing usbmux packets: from here on the socket belongs to the device daemon.
    socket.pause();
    socket.off('data', onData);
    const early = queue.drain();
    result(UsbmuxResult.Ok);
    if (early.length) socket.unshift(early);
    device.accept(port, socket);
  }
}
