import { ProtocolError } from '../errors';

/**
 * Bytes received from a peer, waiting to be read in exact amounts. Readers wait (bounded by a
 * timeout) until enough bytes arrive; the end of the stream fails any read it cannot satisfy.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private size = 0;
  private ended: Error | undefined;
  private waiter: (() => void) | undefined;

  constructor(private readonly peer: string) {}

  /** Bytes currently buffered. */
  get length(): number {
    return this.size;
  }

  /** Adds received bytes. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.wake();
  }

  /** Marks the stream as ended; pending and later reads that cannot be satisfied fail with this reason. */
  end(reason?: Error): void {
    this.ended ??= reason ?? new ProtocolError(`The ${this.peer} closed the connection.`, this.peer);
    this.wake();
  }

  /** True once end() was called. */
  get isEnded(): boolean {
    return this.ended !== undefined;
  }

  /** Removes and returns everything buffered. */
  drain(): Buffer {
    const all = Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    return all;
  }

  /** Reads exactly n bytes, waiting up to timeoutMs (0 = no limit). */
  async read(n: number, timeoutMs = 0): Promise<Buffer> {
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    while (this.size < n) {
      if (this.ended) {
        if (this.size > 0) {
          throw new ProtocolError(`The ${this.peer} closed the connection in the middle of a message.`, this.peer);
        }
        throw this.ended;
      }
      await this.waitForData(deadline);
    }
    return this.take(n);
  }

  /** Reads whatever is available (at least one byte), up to max; undefined at the end of the stream. */
  async readSome(max: number, timeoutMs = 0): Promise<Buffer | undefined> {
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    while (this.size === 0) {
      if (this.ended) return undefined;
      await this.waitForData(deadline);
    }
    return this.take(Math.min(max, this.size));
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
    return out;
  }

  private waitForData(deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      this.waiter = () => {
        if (timer) clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      if (deadline) {
        const ms = deadline - Date.now();
        if (ms <= 0) {
          this.waiter = undefined;
          reject(new ProtocolError(`The ${this.peer} did not answer in time.`, this.peer));
          return;
        }
        timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new ProtocolError(`The ${this.peer} did not answer in time.`, this.peer));
        }, ms);
      }
    });
  }

  private wake(): void {
    this.waiter?.();
  }
}
