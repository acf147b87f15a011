import type { X509Certificate } from 'node:crypto';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { Socket } from 'node:net';
import { ProtocolError } from '../common/errors';
import { ByteQueue } from './byteQueue';

/** Unread bytes a channel lets pile up before it stops reading the socket (TCP then slows the peer). */
const RECEIVE_HIGH_WATER_BYTES = 1024 * 1024;

/** Unsent bytes a writer may queue before drained() makes it wait. */
const SEND_HIGH_WATER_BYTES = 1024 * 1024;

/** Certificate, key and role for one TLS session on a channel. */
export type TlsSessionOptions = TlsIdentity & (TlsClientRole | TlsServerRole);

/** What this side presents in a TLS session. */
interface TlsIdentity {
  certificatePem: Buffer | string;
  privateKeyPem: Buffer | string;
  /** Handshake limit; real devices answer in well under a second. */
  handshakeTimeoutMs?: number;
  /**
   * The session lasts as long as the connection (a service started with EnableServiceSSL never
   * goes back to plaintext): TLS then runs natively on the socket instead of over the channel's
   * own duplex, which saves a copy and a JavaScript callback per chunk each way. stopTls is refused.
   */
  forLife?: boolean;
}

/**
 * The host side. Lockdown's certificates come from pairing, not from a CA, so the usual chain and
 * host name checks cannot apply: instead the caller checks the peer's certificate against the one
 * recorded at pairing, after the handshake and before a single byte of the session is sent.
 */
interface TlsClientRole {
  role: 'client';
  /** Throws (the session is then refused and the channel closed) when the peer is not the expected one; `undefined` when it presented no certificate. */
  checkPeerCertificate(certificate: X509Certificate | undefined): void;
}

/** The device side (the simulator). */
interface TlsServerRole {
  role: 'server';
}

/**
 * Lockdown and device services start in plaintext, switch to TLS on the same stream (after
 * StartSession, or at once for an SSL service) and may drop back to plaintext after StopSession.
 * Node's TLS socket would own the TCP socket for good, so TLS runs over a private duplex that this
 * channel feeds; when the session stops the channel simply stops feeding it. A session that lasts
 * as long as the connection (`forLife`) lets Node's TLS own the socket, which is cheaper per chunk.
 */
export class SecureChannel {
  readonly incoming: ByteQueue;
  private mode: 'plain' | 'tls' | 'closing' = 'plain';
  private tlsSocket: tls.TLSSocket | undefined;
  private tlsCarrier: TlsCarrier | undefined;
  private sniffed = Buffer.alloc(0);
  private closed = false;
  /** True when TLS runs on the socket itself (a session for life), not over a TlsCarrier. */
  private nativeTls = false;

  constructor(
    private readonly socket: Socket,
    readonly peer: string,
  ) {
    this.incoming = new ByteQueue(peer, {
      highWaterBytes: RECEIVE_HIGH_WATER_BYTES,
      // With native TLS the TLS socket reads the TCP socket itself, so it is the one to pause.
      pause: () => (this.nativeTls ? this.tlsSocket : socket)?.pause(),
      resume: () => (this.nativeTls ? this.tlsSocket : socket)?.resume(),
    });
    socket.on('data', this.onRawData);
    socket.on('end', () => this.incoming.end());
    socket.on('close', () => this.incoming.end());
    socket.on('error', (err) => this.incoming.end(connectionFailed(peer, err)));
    // A socket handed over paused (after usbmux Connect) must flow again now that we listen.
    socket.resume();
  }

  /** True while a TLS session is active. */
  get isTls(): boolean {
    return this.mode === 'tls';
  }

  /** Writes bytes through TLS when a session is active, else in plaintext. */
  write(bytes: Buffer): void {
    if (this.closed) throw new ProtocolError(`The connection to the ${this.peer} is closed.`, this.peer);
    if (this.mode === 'tls' && this.tlsSocket) this.tlsSocket.write(bytes);
    else this.socket.write(bytes);
  }

  /** Resolves once the unsent backlog (TLS and TCP) is at most `limitBytes` (default: the high-water mark), so writers of bulk data keep memory flat. */
  async drained(limitBytes = SEND_HIGH_WATER_BYTES): Promise<void> {
    for (;;) {
      const sockets = [this.tlsSocket, this.socket].filter((s): s is Socket | tls.TLSSocket => s !== undefined && !s.destroyed);
      const fullest = sockets.find((s) => s.writableLength > limitBytes);
      if (!fullest || this.closed) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          fullest.off('drain', done);
          fullest.off('close', done);
          resolve();
        };
        // 'drain' only follows a write that overflowed Node's own buffer; a short re-check covers the rest.
        const timer = setTimeout(done, 50);
        fullest.once('drain', done);
        fullest.once('close', done);
      });
    }
  }

  /** Starts a TLS session on the stream (client or server side) and waits for the handshake. */
  async startTls(options: TlsSessionOptions): Promise<void> {
    if (this.mode !== 'plain') throw new ProtocolError(`A TLS session with the ${this.peer} is already active.`, this.peer);
    // Bytes that arrived before the switch belong to the handshake.
    const early = this.incoming.drain();
    // Only the client side runs natively: the simulator's server side keeps the carrier (it is the device).
    const native = options.forLife === true && options.role === 'client';
    let carrier: TlsCarrier | undefined;
    if (native) {
      // From here on Node's TLS reads the socket's handle directly; early bytes go back into the
      // socket's own buffer, which the TLS socket consumes first.
      this.socket.pause();
      this.socket.off('data', this.onRawData);
      if (early.length) this.socket.unshift(early);
    } else {
      carrier = new TlsCarrier(this.socket);
    }
    const transport: Duplex = carrier ?? this.socket;
    const common = {
      cert: options.certificatePem,
      key: options.privateKeyPem,
      // Devices and older libimobiledevice builds negotiate TLS 1.0/1.2 with legacy ciphers.
      minVersion: 'TLSv1' as const,
      ciphers: 'ALL:@SECLEVEL=0',
    };
    const secureContext = tls.createSecureContext(common);
    let tlsSocket: tls.TLSSocket;
    if (options.role === 'client') {
      tlsSocket = tls.connect({
        socket: transport,
        secureContext,
        // No CA vouches for a device and it has no host name: checkPeerCertificate pins it instead.
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      });
    } else {
      tlsSocket = new tls.TLSSocket(transport, {
        isServer: true,
        secureContext,
        requestCert: true,
        rejectUnauthorized: false,
      });
    }
    this.tlsSocket = tlsSocket;
    this.tlsCarrier = carrier;
    this.nativeTls = native;
    this.mode = 'tls';
    tlsSocket.on('data', (chunk: Buffer) => this.incoming.push(chunk));
    tlsSocket.on('error', (err: Error) => {
      if (this.mode !== 'tls') return;
      // Natively the TCP socket's own failures (reset, broken pipe) surface here, and say so.
      if (native && isSystemError(err)) this.incoming.end(connectionFailed(this.peer, err));
      else this.incoming.end(new ProtocolError(`The TLS session with the ${this.peer} failed: ${err.message}.`, this.peer, { cause: err }));
    });
    tlsSocket.on('end', () => {
      // A close_notify while the session is active means the peer ended the session abruptly.
      if (this.mode === 'tls') this.incoming.end();
    });
    if (native) tlsSocket.on('close', () => this.incoming.end());
    if (early.length && carrier) carrier.feed(early);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ProtocolError(`The TLS handshake with the ${this.peer} timed out.`, this.peer)), options.handshakeTimeoutMs ?? 10_000);
      const done = (err?: Error) => {
        clearTimeout(timer);
        tlsSocket.off('secure', onSecure);
        tlsSocket.off('secureConnect', onSecure);
        tlsSocket.off('error', onError);
        tlsSocket.off('close', onClose);
        this.socket.off('close', onClose);
        if (err) reject(new ProtocolError(`The TLS handshake with the ${this.peer} failed: ${err.message}.`, this.peer, { cause: err }));
        else resolve();
      };
      const onSecure = () => done();
      const onError = (err: Error) => done(err);
      // A peer that closes mid-handshake (e.g. a host refusing this side's certificate) is an answer too, not a wait until the timeout.
      const onClose = () => done(new Error('the connection closed'));
      tlsSocket.once(options.role === 'client' ? 'secureConnect' : 'secure', onSecure);
      tlsSocket.once('error', onError);
      tlsSocket.once('close', onClose);
      this.socket.once('close', onClose);
    });
    if (options.role === 'client') {
      try {
        options.checkPeerCertificate(tlsSocket.getPeerX509Certificate());
      } catch (err) {
        this.close();
        throw err;
      }
    }
  }

  /**
   * Ends the TLS session and continues in plaintext on the same stream, as lockdownd does after
   * StopSession. The client side sends close_notify; either side then accepts the peer's
   * remaining TLS records (close_notify) until the first plaintext frame arrives.
   */
  async stopTls(sendCloseNotify: boolean): Promise<void> {
    if (this.nativeTls) throw new ProtocolError(`The TLS session with the ${this.peer} lasts as long as the connection.`, this.peer);
    if (this.mode !== 'tls' || !this.tlsSocket || !this.tlsCarrier) return;
    const tlsSocket = this.tlsSocket;
    const carrier = this.tlsCarrier;
    this.mode = 'closing';
    if (sendCloseNotify) {
      // _final runs after every pending TLS write has reached the carrier, so nothing is lost by detaching then.
      await new Promise<void>((resolve) => {
        carrier.onFinal = resolve;
        tlsSocket.end();
        setTimeout(resolve, 1000);
      });
      carrier.detached = true;
    }
    // Without close_notify the last TLS reply may still be on its way through the TLS socket: the
    // carrier stays attached until the peer's first plaintext byte shows the session is over.
  }

  /** Closes the channel and the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.tlsCarrier) this.tlsCarrier.detached = true;
    this.tlsSocket?.destroy();
    this.socket.destroy();
    this.incoming.end();
  }

  /** A bound field, so that a session for life can detach it from the socket. */
  private readonly onRawData = (chunk: Buffer): void => {
    if (this.mode === 'plain') {
      this.incoming.push(chunk);
    } else if (this.mode === 'tls') {
      this.tlsCarrier?.feed(chunk);
    } else {
      this.sniffClosingRecords(chunk);
    }
  };

  /**
   * After StopSession the peer may still send TLS records (its close_notify) before plaintext.
   * TLS records start with a content type 20–23 and major version 3; a plaintext frame starts with
   * the high byte of a big-endian length, which is 0 for any sane frame.
   */
  private sniffClosingRecords(chunk: Buffer): void {
    this.sniffed = Buffer.concat([this.sniffed, chunk]);
    while (this.sniffed.length > 0) {
      const type = this.sniffed[0];
      if (type >= 20 && type <= 23) {
        if (this.sniffed.length < 5) return;
        const recordLength = 5 + this.sniffed.readUInt16BE(3);
        if (this.sniffed.length < recordLength) return;
        const record = this.sniffed.subarray(0, recordLength);
        this.sniffed = this.sniffed.subarray(recordLength);
        if (this.tlsCarrier && !this.tlsCarrier.detached) this.tlsCarrier.feed(record);
        continue;
      }
      this.mode = 'plain';
      if (this.tlsCarrier) this.tlsCarrier.detached = true;
      this.tlsSocket?.destroy();
      this.tlsSocket = undefined;
      this.tlsCarrier = undefined;
      const rest = this.sniffed;
      this.sniffed = Buffer.alloc(0);
      this.incoming.push(rest);
      return;
    }
  }
}

/** The one sentence for a broken TCP connection, whichever socket reported it. */
function connectionFailed(peer: string, err: Error): ProtocolError {
  return new ProtocolError(`The connection to the ${peer} failed: ${err.message}.`, peer, { cause: err });
}

/** An operating-system error (ECONNRESET, EPIPE…) rather than one of TLS itself. */
function isSystemError(err: Error): boolean {
  return typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/** The duplex a TLS socket runs over: writes go to the real socket until detached. */
class TlsCarrier extends Duplex {
  detached = false;
  onFinal: (() => void) | undefined;

  constructor(private readonly socket: Socket) {
    super();
  }

  feed(bytes: Buffer): void {
    if (!this.detached) this.push(bytes);
  }

  override _read(): void {
    // Data is pushed by feed(); nothing to pull.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.detached && !this.socket.destroyed) this.socket.write(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    // The TCP socket outlives the TLS session, so ending TLS must not end it.
    this.onFinal?.();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.detached = true;
    callback(error);
  }
}
