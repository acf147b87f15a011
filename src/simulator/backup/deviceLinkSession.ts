import { ProtocolError } from '../../errors';
import type { Logger } from '../../logger';
import type { PlistValue } from '../../plist';
import {
  buildDeviceReady,
  buildVersionOffer,
  DL_DEVICE_VERSION,
  parseDLMessage,
  type DLMessage,
  type DLMessageOf,
} from '../../services/deviceLinkCodec';
import type { ServiceConnection } from '../../transport/serviceConnection';
import { HostLeftSession } from './mobileBackupErrors';

/** How long the device waits for the host to answer one request (hosts write whole batches first). */
export const HOST_ANSWER_TIMEOUT_MS = 10 * 60 * 1000;

/** A StatusResponse from the host. */
export type HostStatus = DLMessageOf<'DLMessageStatusResponse'>;

/**
 * The device side of a DeviceLink connection: the version handshake, DL messages to the host
 * (binary plists, as devices send them), and request → StatusResponse round trips. A host
 * DLMessageDisconnect or a closed socket in the middle of a round trip raises HostLeftSession.
 */
export class DeviceLinkSession {
  constructor(
    readonly connection: ServiceConnection,
    private readonly log: Logger,
  ) {}

  /** Offers DeviceLink 300.0, checks the host's DLVersionsOk, announces DLMessageDeviceReady. */
  async handshake(): Promise<void> {
    this.send(buildVersionOffer(DL_DEVICE_VERSION.major, DL_DEVICE_VERSION.minor));
    const reply = await this.receive(30_000);
    if (reply.name !== 'DLMessageVersionExchange' || reply.kind !== 'reply') {
      throw new ProtocolError(`The host answered the DeviceLink version offer with ${reply.name}.`, 'device link host');
    }
    if (!reply.accepted) throw new ProtocolError(`The host refused DeviceLink version ${DL_DEVICE_VERSION.major} (${reply.status}).`, 'device link host');
    this.log.debug('DeviceLink version accepted', { hostMajor: reply.major });
    this.send(buildDeviceReady());
  }

  /** Sends one DL array. */
  send(message: PlistValue[]): void {
    this.connection.sendPlist(message, 'binary');
  }

  /** Receives and validates one DL array from the host (0 = wait forever). */
  async receive(timeoutMs = 0): Promise<DLMessage> {
    return parseDLMessage(await this.connection.receivePlist(timeoutMs), 'host');
  }

  /** Sends a device request and returns the host's StatusResponse, skipping keep-alive pings. */
  async request(message: PlistValue[], timeoutMs = HOST_ANSWER_TIMEOUT_MS): Promise<HostStatus> {
    this.send(message);
    return this.awaitStatus(String(message[0]), timeoutMs);
  }

  /** Waits for the StatusResponse that answers `requestName`. */
  async awaitStatus(requestName: string, timeoutMs = HOST_ANSWER_TIMEOUT_MS): Promise<HostStatus> {
    for (;;) {
      let message: DLMessage;
      try {
        message = await this.receive(timeoutMs);
      } catch (err) {
        if (this.connection.channel.incoming.isEnded) throw new HostLeftSession(`the host closed the connection while the device waited for its answer to ${requestName}`);
        throw err;
      }
      switch (message.name) {
        case 'DLMessageStatusResponse':
          return message;
        case 'DLMessagePing':
          continue;
        case 'DLMessageDisconnect':
          throw new HostLeftSession(`the host disconnected while the device waited for its answer to ${requestName}`);
        default:
          throw new ProtocolError(`The host sent ${message.name} where the answer to ${requestName} was expected.`, 'device link host');
      }
    }
  }

  /** Writes raw transfer bytes, waiting first when too much is still unsent. */
  async writeRaw(bytes: Buffer): Promise<void> {
    this.connection.sendRaw(bytes);
    await this.connection.drained();
  }
}
