import { abortReason } from './cancellation';

/**
 * Lets at most `limit` tasks run at once; the rest wait in arrival order. Inspecting an encrypted
 * backup derives its key with PBKDF2 (seconds of CPU each), so expanding many backups at once must
 * not start them all together.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A concurrency limit must be a whole number of at least 1, not ${limit}.`);
  }

  /** Runs `task` once a slot is free; a task whose signal aborts while it waits is not started. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Tasks running now (for tests and logs). */
  get active(): number {
    return this.running;
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', abandon);
        this.running++;
        resolve();
      };
      const abandon = (): void => {
        const index = this.waiting.indexOf(start);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal ? abortReason(signal) : new Error('Aborted.'));
      };
      signal?.addEventListener('abort', abandon, { once: true });
      this.waiting.push(start);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}
