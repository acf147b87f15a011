/** The timer functions a ThrottledFlush uses (injectable so tests control time). */
export interface FlushTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: FlushTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending refresh must never keep the CLI or a test process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Batches change notifications: however often `request()` is called, `flush` runs at most once per
 * interval, and always runs once after the last request. This is what keeps a fast log stream from
 * re-rendering the editor for every line.
 */
export class ThrottledFlush {
  private timer: unknown;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(
    private readonly flush: () => void,
    readonly intervalMs: number,
    private readonly timers: FlushTimers = realTimers,
  ) {}

  /** Asks for a flush; it happens at once if the interval has passed, else when it has. */
  request(): void {
    if (this.disposed || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => this.run(), wait);
  }

  /** Flushes now (and cancels a pending flush), e.g. before the stream's closing line is shown. */
  flushNow(): void {
    if (this.disposed) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.run();
  }

  /** Stops flushing. */
  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.disposed = true;
  }

  private run(): void {
    this.timer = undefined;
    this.lastFlush = this.timers.now();
    this.flush();
  }
}
