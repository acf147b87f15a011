import type { DLRawByteSource } from '../../services/deviceLinkCodec';
import type { ServiceConnection } from '../../transport/serviceConnection';
import type { TrickleFault } from './linkFaults';
import { HostLeftSession } from './mobileBackupErrors';

/** How often the pacer hands the next slice to the socket. */
const TICK_MS = 50;
/** Queued bytes above which a raw writer waits, so a trickle does not pile a whole upload up in memory. */
const QUEUE_HIGH_WATER_BYTES = 64 * 1024;

/**
 * The device end of a slow link (scenario fault `trickle`): what the device sends leaves at
 * `bytesPerSecond` at most, and what it reads is taken no faster. Past `stallAfterBytes` sent and
 * read, nothing moves in either direction for `stallMs` while the connection stays open; a host that
 * gave up and closed it meanwhile is noticed then, and waiters end with HostLeftSession.
 */
export class TricklingLink implements DLRawByteSource {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  /** Bytes sent and read so far: the stall counts both directions. */
  private movedBytes = 0;
  /** Bytes the pace allows to send now; a quiet spell does not save up a burst (at most two ticks' worth). */
  private credit = 0;
  private lastTickAt = Date.now();
  private stallStartedAt: number | undefined;
  private stallOver = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly connection: ServiceConnection,
    private readonly fault: TrickleFault,
  ) {}

  /** True while the link hangs: from `stallAfterBytes` on, for `stallMs`. */
  get stalled(): boolean {
    const { stallAfterBytes, stallMs } = this.fault;
    if (stallAfterBytes === undefined || this.stallOver || this.movedBytes < stallAfterBytes) return false;
    this.stallStartedAt ??= Date.now();
    if (Date.now() - this.stallStartedAt < stallMs) return true;
    // The link comes back: a device whose reads were paused only now sees that the host has left.
    this.stallOver = true;
    return false;
  }

  /** Queues bytes for sending at the trickle's pace. */
  write(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    this.schedule();
  }

  /** Resolves once the queue is short again (or empty with `all`); rejects when the host closed the connection. */
  async drained(all = false): Promise<void> {
    const limit = all ? 0 : QUEUE_HIGH_WATER_BYTES;
    while (this.queuedBytes > limit) {
      // A stalled link never empties: a flush that only wants earlier bytes delivered gives up on them.
      if (all && this.stalled) return;
      await this.nextTick();
    }
  }

  /** Reads exactly n bytes from the host, no faster than the trickle; never while stalled. */
  async receiveRaw(n: number, timeoutMs?: number): Promise<Buffer> {
    await this.whileStalled();
    const bytes = await this.connection.receiveRaw(n, timeoutMs);
    this.movedBytes += n;
    await new Promise((resolve) => setTimeout(resolve, (n * 1000) / this.fault.bytesPerSecond));
    return bytes;
  }

  /** Waits as long as the link is stalled, that is until the host closes the connection. */
  async whileStalled(): Promise<void> {
    while (this.stalled) await this.nextTick();
  }

  private nextTick(): Promise<void> {
    if (this.connection.channel.incoming.isEnded) {
      return Promise.reject(new HostLeftSession('the host closed the connection while the link was slow'));
    }
    return new Promise<void>((resolve) => {
      this.waiters.add(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer) return;
    // Pace is earned from here on: a link that was idle has nothing saved up.
    this.lastTickAt = Date.now();
    this.timer = setTimeout(() => this.tick(), TICK_MS);
  }

  private tick(): void {
    this.timer = undefined;
    const now = Date.now();
    const rate = this.fault.bytesPerSecond;
    this.credit = Math.min(this.credit + ((now - this.lastTickAt) * rate) / 1000, Math.max(1, (2 * TICK_MS * rate) / 1000));
    this.lastTickAt = now;
    const cap = this.stalled ? 0 : this.fault.stallAfterBytes === undefined || this.stallOver ? Infinity : this.fault.stallAfterBytes - this.movedBytes;
    let budget = Math.max(0, Math.min(Math.floor(this.credit), cap));
    while (budget > 0 && this.queue.length > 0) {
      const head = this.queue[0];
      const slice = head.subarray(0, budget);
      if (slice.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(slice.length);
      this.queuedBytes -= slice.length;
      this.movedBytes += slice.length;
      this.credit -= slice.length;
      budget -= slice.length;
      try {
        this.connection.sendRaw(slice);
      } catch {
        // The connection is gone: what is still queued can never leave.
        this.queue.length = 0;
        this.queuedBytes = 0;
      }
    }
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
    if (this.queuedBytes > 0 || this.waiters.size > 0) this.schedule();
  }
}
