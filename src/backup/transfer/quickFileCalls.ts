import { performance } from 'node:perf_hooks';

/**
 * A call slower than this (milliseconds) was slow: on a page-cache file system these calls take 10–40 µs.
 */
const SLOW_CALL_MS = 2;

/**
 * Of the last RECENT_CALLS calls, this many slow ones mean the disk is slow (a network share, a scanning
 * antivirus, a failing disk): blocking the event loop that long per call would stall every other device's
 * connection, so the calls go back to libuv's thread pool. Most of them, not their average: on a busy
 * machine the scheduler sometimes takes the core away in the middle of a call (20–40 ms measured on
 * 2 cores at load 8), which says nothing about the disk.
 */
const RECENT_CALLS = 16;
const SLOW_OF_RECENT = 12;

/** After falling back, the main thread is tried again this much later (a burst of slowness passes). */
const RETRY_AFTER_MS = 10_000;

/**
 * Runs the small, fast file-system calls of a backup (creating and writing a small file, lstat, rename)
 * on the main thread while they stay fast, instead of one trip each through libuv's thread pool.
 *
 * Why: a backup makes a few such calls per file, tens of thousands per backup. Each trip through the pool
 * costs a wake-up of a pool thread, a wake-up of the event loop and the promise around it; on a page-cache
 * file system the call itself takes 10–40 µs, the trip several times that in CPU (bench/README.md,
 * "backup"). On a busy machine each wake-up also waits for a core, so the pool made the backup slower than
 * idevicebackup2, which makes the same calls synchronously. Measured on 2 cores at load 8–10: the user CPU
 * time of a 20,000-file backup fell by about 40 % (bench/README.md, "backup").
 *
 * Why the fallback: one process may back up eight devices at once, and a synchronous call blocks every
 * one of them. While calls stay under SLOW_CALL_MS, eight devices lose at most that per call each; when
 * most calls get slow, the calls go to the pool again (where waiting costs no one else), and
 * the main thread is tried again after RETRY_AFTER_MS. The state is per process, like the event loop.
 */
export class QuickFileCalls {
  /** Whether each of the last RECENT_CALLS calls was slow (a ring), and how many of them were. */
  private readonly recentSlow = new Uint8Array(RECENT_CALLS);
  private nextSlot = 0;
  private slowCount = 0;
  private pooledUntil = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** True while calls go to the thread pool because synchronous ones were slow. */
  get pooled(): boolean {
    return this.now() < this.pooledUntil;
  }

  /**
   * Runs `sync` on the main thread (timed), or `pooled` while synchronous calls are slow. Both must do the
   * same thing with the same safety checks; an error thrown by `sync` rejects the returned promise.
   */
  async run<T>(sync: () => T, pooled: () => Promise<T>): Promise<T> {
    if (this.pooled) return pooled();
    const started = this.now();
    try {
      return sync();
    } finally {
      this.record(this.now() - started);
    }
  }

  private record(ms: number): void {
    const slow = ms > SLOW_CALL_MS ? 1 : 0;
    this.slowCount += slow - this.recentSlow[this.nextSlot];
    this.recentSlow[this.nextSlot] = slow;
    this.nextSlot = (this.nextSlot + 1) % RECENT_CALLS;
    if (this.slowCount >= SLOW_OF_RECENT) {
      this.pooledUntil = this.now() + RETRY_AFTER_MS;
      // The next try on the main thread is judged afresh.
      this.recentSlow.fill(0);
      this.slowCount = 0;
    }
  }
}

/** The process's one instance: every backup and restore in the process shares the event loop it protects. */
export const quickFileCalls = new QuickFileCalls();
