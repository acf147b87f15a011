import { ProtocolError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import {
  buildDeviceReady,
  buildVersionOffer,
  DL_DEVICE_VERSION,
  DL_MESSAGE,
  parseDLMessage,
  type DLMessage,
  type DLMessageArray,
  type DLMessageOf,
  type DLRawByteSource,
} from '../../services/deviceLinkCodec';
import { encodePlistFrame } from '../../transport/plistFrames';
import type { ServiceConnection } from '../../transport/serviceConnection';
import type { DropLinkFault, LinkFaultOperation, LinkFaults } from './linkFaults';
import { HostLeftSession, SimulatedConnectionDrop } from './mobileBackupErrors';
import { TricklingLink } from './tricklingLink';

/** How long the device waits for the host to answer one request (hosts write whole batches first). */
export const HOST_ANSWER_TIMEOUT_MS = 10 * 60 * 1000;

/** A StatusResponse from the host. */
export type HostStatus = DLMessageOf<'DLMessageStatusResponse'>;

/**
 * The device side of a DeviceLink connection: the version handshake, DL messages to the host
 * (binary plists, as devices send them), and request → StatusResponse round trips. A host
 * DLMessageDisconnect or a closed socket in the middle of a round trip raises HostLeftSession.
 * The scenario's link faults act here, where every message passes: `dropLink` pulls the cable
 * around one message (SimulatedConnectionDrop), `trickle` paces every byte.
 */
export class DeviceLinkSession {
  /** Where transfer streams are read from: the connection, or the trickle's pace over it. */
  readonly rawSource: DLRawByteSource;
  private readonly trickle: TricklingLink | undefined;
  private operation: LinkFaultOperation | undefined;
  private readonly sentInOperation = new Map<string, number>();
  /** A request whose answer ends the connection (dropLink `after`). */
  private dropAfterAnswerTo: string | undefined;

  constructor(
    readonly connection: ServiceConnection,
    private readonly log: Logger,
    private readonly faults: LinkFaults = {},
  ) {
    this.trickle = faults.trickle ? new TricklingLink(connection, faults.trickle) : undefined;
    this.rawSource = this.trickle ?? connection;
  }

  /** Starts counting messages for the dropLink fault: `nth` counts within one Backup or Restore request. */
  beginOperation(operation: LinkFaultOperation | undefined): void {
    this.operation = operation;
    this.sentInOperation.clear();
    this.dropAfterAnswerTo = undefined;
  }

  /** Resolves once what was sent so far left the device (before a cable pull, so only later bytes are lost). */
  async flushed(): Promise<void> {
    await this.trickle?.drained(true);
    await this.connection.drained(0);
  }

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

  /** Sends one DL array (or pulls the cable around it, when a dropLink fault names it). */
  send(message: DLMessageArray): void {
    const name = message[0];
    const drop = this.armedDrop(name);
    if (drop?.when === 'before') this.pullCable(`before ${name} #${drop.nth}`);
    if (this.trickle) this.trickle.write(encodePlistFrame(message, 'binary'));
    else this.connection.sendPlist(message, 'binary');
    if (drop?.when !== 'after') return;
    // The final result is not answered: the cable goes right after it.
    if (name === DL_MESSAGE.ProcessMessage) this.pullCable(`after ${name} #${drop.nth}`);
    this.dropAfterAnswerTo = name;
  }

  /** Receives and validates one DL array from the host (0 = wait forever). */
  async receive(timeoutMs = 0): Promise<DLMessage> {
    await this.trickle?.whileStalled();
    return parseDLMessage(await this.connection.receivePlist(timeoutMs), 'host');
  }

  /** Sends a device request and returns the host's StatusResponse, skipping keep-alive pings. */
  async request(message: DLMessageArray, timeoutMs = HOST_ANSWER_TIMEOUT_MS): Promise<HostStatus> {
    this.send(message);
    return this.awaitStatus(message[0], timeoutMs);
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
          if (this.dropAfterAnswerTo === requestName) this.pullCable(`after the answer to ${requestName}`);
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
    if (this.trickle) {
      this.trickle.write(bytes);
      await this.trickle.drained();
      return;
    }
    this.connection.sendRaw(bytes);
    await this.connection.drained();
  }

  /** Counts a message of the current request and returns the dropLink fault when this is the one it names. */
  private armedDrop(name: string): DropLinkFault | undefined {
    const drop = this.faults.dropLink;
    if (!drop || this.operation !== drop.operation || name !== drop.message) return undefined;
    const count = (this.sentInOperation.get(name) ?? 0) + 1;
    this.sentInOperation.set(name, count);
    return count === drop.nth ? drop : undefined;
  }

  private pullCable(where: string): never {
    this.dropAfterAnswerTo = undefined;
    this.log.warn('Connection to the host lost (scenario fault dropLink: cable pulled)', { where });
    throw new SimulatedConnectionDrop(`scenario fault: connection dropped ${where}`);
  }
}
