import { throwIfCancelled, type CancellationTokenLike } from '../common/cancellation';
import { CancelledError, ProtocolError, isProtocolError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { PlistDict, PlistValue } from '../plist';
import type { PlistEncoding } from '../transport/plistFrames';
import {
  buildDisconnect,
  buildProcessMessage,
  buildStatusResponse,
  buildVersionAccept,
  buildVersionRefuse,
  DL_HOST_MAX_VERSION,
  DLTransferDecoder,
  expectDLMessage,
  parseDLMessage,
  type DLDeviceRequestName,
  type DLMessage,
  type DLMessageName,
  type DLMessageOf,
  type DLRawByteSource,
  type DLTransferDecoderOptions,
  type DLTransferDirection,
} from './deviceLinkCodec';

/** What a DeviceLink session needs from its connection; ServiceConnection satisfies it. */
export interface DeviceLinkConnection extends DLRawByteSource {
  sendPlist(value: PlistValue, encoding?: PlistEncoding): void;
  receivePlist(timeoutMs?: number): Promise<PlistValue>;
  sendRaw(bytes: Buffer): void;
  close(): void;
  /** Resolves once the unsent backlog is small again; gives raw transfers backpressure when offered. */
  drained?(): Promise<void>;
}

/** Options of a DeviceLink session. */
export interface DeviceLinkOptions {
  /** Plist encoding of sent messages; receivers accept both (libimobiledevice sends binary). */
  encoding?: PlistEncoding;
  /** How long the device may stay silent inside the request loop (scanning, passcode prompt). */
  idleTimeoutMs?: number;
  /** How long each handshake step may take. */
  handshakeTimeoutMs?: number;
  logger?: Logger;
}

/** Returned by a handler to end the request loop (final result or device disconnect). */
export const DL_LOOP_END = Symbol('DL_LOOP_END');

/** What a handler returns: nothing to keep looping, DL_LOOP_END to leave the loop. */
export type DLHandlerResult = void | typeof DL_LOOP_END;

/** Handles one parsed message of a given name. */
export type DLHandler<N extends DLMessageName> = (message: DLMessageOf<N>, link: DeviceLink) => Promise<DLHandlerResult>;

/** The full dispatch table: one handler per DeviceLink message name. */
export type DLDispatchTable = { [N in DLMessageName]: DLHandler<N> };

/** The handlers an operation supplies: one per device request of docs/protocol/mobilebackup2.md#device-requests. */
export type DLRequestHandlers = { [N in DLDeviceRequestName]: DLHandler<N> };

/** Called with the device's own progress estimate (percent, 0–100) whenever a message carries one. */
export type DLProgressListener = (percent: number) => void;

/**
 * One DeviceLink session over a service connection, host side: version exchange, messages in and
 * out, raw transfer streams, and a request loop that dispatches each device request through a
 * table keyed by message name.
 */
export class DeviceLink {
  private readonly encoding: PlistEncoding;
  private readonly idleTimeoutMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly logger: Logger;
  private closed = false;

  constructor(
    readonly connection: DeviceLinkConnection,
    options: DeviceLinkOptions = {},
  ) {
    this.encoding = options.encoding ?? 'binary';
    this.idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 30_000;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Host side of the version exchange: reads the device's offer, accepts it when its major is at
   * most 400 (and 400 only with minor 0), then waits for DeviceReady.
   */
  async exchangeVersions(): Promise<{ major: number; minor: number }> {
    const offer = expectDLMessage(await this.connection.receivePlist(this.handshakeTimeoutMs), 'DLMessageVersionExchange');
    if (offer.kind !== 'offer') throw new ProtocolError('The device answered the DeviceLink version exchange with a reply instead of an offer.', 'device link');
    const tooNew = offer.major > DL_HOST_MAX_VERSION.major || (offer.major === DL_HOST_MAX_VERSION.major && offer.minor > DL_HOST_MAX_VERSION.minor);
    if (tooNew) {
      this.send(buildVersionRefuse());
      throw new ProtocolError(`The device speaks DeviceLink version ${offer.major}.${offer.minor}, newer than this tool supports.`, 'device link');
    }
    this.send(buildVersionAccept());
    expectDLMessage(await this.connection.receivePlist(this.handshakeTimeoutMs), 'DLMessageDeviceReady');
    this.logger.debug('device link ready', { major: offer.major, minor: offer.minor });
    return { major: offer.major, minor: offer.minor };
  }

  /** Sends a ProcessMessage carrying a service request (mobilebackup2 Hello, Backup, …). */
  sendProcessMessage(content: PlistDict): void {
    this.send(buildProcessMessage(content));
  }

  /** Waits for the device's next ProcessMessage (a reply such as the Hello response). */
  async receiveProcessMessage(timeoutMs = this.handshakeTimeoutMs): Promise<PlistDict> {
    return expectDLMessage(await this.connection.receivePlist(timeoutMs), 'DLMessageProcessMessage').content;
  }

  /** Answers the current device request. */
  sendStatusResponse(code: number, text?: string, value?: PlistValue): void {
    this.send(buildStatusResponse(code, text, value));
  }

  /** Sends an already built DL array. */
  send(message: PlistValue[]): void {
    this.connection.sendPlist(message, this.encoding);
  }

  /** Receives and validates the next DL message. */
  async receive(timeoutMs = this.idleTimeoutMs): Promise<DLMessage> {
    return parseDLMessage(await this.connection.receivePlist(timeoutMs));
  }

  /**
   * A decoder for the raw transfer stream that follows DownloadFiles (our side sends) or UploadFiles
   * (we read). No read waits longer than the device may stay silent.
   */
  transferDecoder(direction: DLTransferDirection, options: DLTransferDecoderOptions = {}): DLTransferDecoder {
    return new DLTransferDecoder(this.connection, direction, { ...options, timeoutMs: Math.min(options.timeoutMs ?? this.idleTimeoutMs, this.idleTimeoutMs) });
  }

  /**
   * Sends raw transfer bytes, then waits while too much is still unsent (when the connection can
   * tell). A device that stops reading for the idle time fails the send, instead of holding it forever.
   */
  async sendRaw(bytes: Buffer): Promise<void> {
    this.connection.sendRaw(bytes);
    if (!this.connection.drained) return;
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProtocolError('The device did not answer in time: it stopped taking the data this computer sends.', 'device')), this.idleTimeoutMs);
    });
    try {
      await Promise.race([this.connection.drained(), silent]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs the request loop: receives device requests and dispatches each through the table until a
   * handler returns DL_LOOP_END. Ping is answered by the session; a message that only belongs to the
   * handshake is a protocol error. Cancelling the token closes the connection, so a pending read
   * fails at once and the loop ends with a CancelledError.
   */
  async runRequestLoop(
    handlers: DLRequestHandlers,
    options: { token?: CancellationTokenLike; onProgress?: DLProgressListener; operation?: string } = {},
  ): Promise<void> {
    const operation = options.operation ?? 'The operation';
    const table = this.dispatchTable(handlers);
    const subscription = options.token?.onCancellationRequested(() => this.close());
    try {
      for (;;) {
        throwIfCancelled(options.token, operation);
        let message: DLMessage;
        try {
          message = await this.receive();
        } catch (err) {
          if (options.token?.isCancellationRequested) throw new CancelledError(operation);
          throw err;
        }
        this.logger.trace('device request', { name: message.name });
        if ('progress' in message && message.progress !== undefined) options.onProgress?.(message.progress);
        const handler = table[message.name] as DLHandler<typeof message.name>;
        let result: DLHandlerResult;
        try {
          result = await (handler as (m: DLMessage, l: DeviceLink) => Promise<DLHandlerResult>)(message, this);
        } catch (err) {
          if (options.token?.isCancellationRequested && isProtocolError(err)) throw new CancelledError(operation);
          throw err;
        }
        if (result === DL_LOOP_END) return;
      }
    } finally {
      subscription?.dispose();
    }
  }

  /** Tells the device the host is leaving (best effort) and closes the connection. */
  disconnect(): void {
    if (this.closed) return;
    try {
      this.send(buildDisconnect());
    } catch {
      // The connection may already be gone; closing is all that is left.
    }
    this.close();
  }

  /** Closes the connection without a goodbye (after a failure or cancellation). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
  }

  private dispatchTable(handlers: DLRequestHandlers): DLDispatchTable {
    const unexpected = async (message: DLMessage): Promise<DLHandlerResult> => {
      throw new ProtocolError(`The device sent ${message.name} in the middle of an operation, where only requests are expected.`, 'device link');
    };
    return {
      ...handlers,
      DLMessageVersionExchange: unexpected,
      DLMessageDeviceReady: unexpected,
      DLMessageStatusResponse: unexpected,
      // A keep-alive needs no answer.
      DLMessagePing: async () => undefined,
    };
  }
}
