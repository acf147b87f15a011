import { Socket } from 'node:net';
import type { Logger } from '../../logger';
import type { ServiceConnection } from '../../services/serviceConnection';

/** Bytes the device lets pile up unsent before it waits for the host to read (keeps memory flat). */
export const OUTGOING_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * Backpressure for what the device streams to the host. ServiceConnection writes without a drain
 * signal, so a fast producer (the content generator) would buffer a multi-GB upload in memory when
 * the host is slower. This reads the socket under the connection's channel (and the TLS socket on
 * top of it) and waits for Node's 'drain' when too much is pending.
 */
export class OutgoingFlowControl {
  private readonly sockets: Socket[];

  constructor(connection: ServiceConnection, log: Logger) {
    // The channel keeps these private; reading them by name is confined to this class.
    const raw: unknown = Reflect.get(connection.channel, 'socket');
    const tls: unknown = Reflect.get(connection.channel, 'tlsSocket');
    this.sockets = [tls, raw].filter((s): s is Socket => s instanceof Socket);
    if (!(raw instanceof Socket)) log.warn('no socket under the service connection; uploads are not flow-controlled');
  }

  /** Bytes written but not yet handed to the operating system. */
  pendingBytes(): number {
    return this.sockets.reduce((sum, s) => sum + s.writableLength, 0);
  }

  /** Waits until at most `limit` bytes are pending (or the socket closes). */
  async waitBelow(limit: number = OUTGOING_HIGH_WATER_BYTES): Promise<void> {
    while (this.pendingBytes() > limit) {
      // The fullest socket is far above its own high-water mark, so Node will emit 'drain' for it.
      const blocked = this.sockets.reduce((a, b) => (b.writableLength > a.writableLength ? b : a));
      if (blocked.destroyed) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          blocked.off('drain', done);
          blocked.off('close', done);
          resolve();
        };
        // A re-check now and then guards against a drain that belongs to the other socket.
        const timer = setTimeout(done, 1000);
        blocked.once('drain', done);
        blocked.once('close', done);
      });
    }
  }

  /** Waits until everything written has been handed to the operating system. */
  flush(): Promise<void> {
    return this.waitBelow(0);
  }
}
