import type { Socket } from 'node:net';
import type { PlistValue } from '../plist';
import { SecureChannel, type TlsSessionOptions } from './secureChannel';
import { encodePlistFrame, readPlistFrame, type PlistEncoding } from './plistFrames';

/** Default cap for one plist frame of a service; services with bigger messages raise it. */
export const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

/**
 * One connection to a device service (or lockdownd): length-prefixed plist frames and raw bytes
 * over a channel that may run TLS. The only place plist framing is done.
 */
export class ServiceConnection {
  readonly channel: SecureChannel;

  constructor(
    socket: Socket,
    readonly peer: string,
    private readonly limits: { maxFrameBytes?: number; timeoutMs?: number } = {},
  ) {
    this.channel = new SecureChannel(socket, peer);
  }

  /** Sends one plist frame. */
  sendPlist(value: PlistValue, encoding: PlistEncoding = 'xml'): void {
    this.channel.write(encodePlistFrame(value, encoding));
  }

  /** Receives one plist frame (bounded in size and time). */
  receivePlist(timeoutMs = this.limits.timeoutMs ?? 30_000): Promise<PlistValue> {
    return readPlistFrame(this.channel.incoming, this.peer, { maxBytes: this.limits.maxFrameBytes ?? DEFAULT_MAX_FRAME, timeoutMs });
  }

  /** Sends raw bytes (AFC packets, DeviceLink file data). */
  sendRaw(bytes: Buffer): void {
    this.channel.write(bytes);
  }

  /** Resolves once little enough is left unsent (at most limitBytes when given; 0 = everything handed to the OS). */
  drained(limitBytes?: number): Promise<void> {
    return this.channel.drained(limitBytes);
  }

  /** Receives exactly n raw bytes. */
  receiveRaw(n: number, timeoutMs = this.limits.timeoutMs ?? 30_000): Promise<Buffer> {
    return this.channel.incoming.read(n, timeoutMs);
  }

  /** Starts TLS on the connection. */
  startTls(options: TlsSessionOptions): Promise<void> {
    return this.channel.startTls(options);
  }

  /** Closes the connection. */
  close(): void {
    this.channel.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
