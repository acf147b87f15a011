import { ProtocolError } from '../common/errors';

/**
 * Bytes received from a peer, waiting to be read in exact amounts. Readers wait (bounded by a
 * timeout) until enough bytes arrive; the end of the stream fails any read it cannot satisfy.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private size = 0;
  private ended: Error | undefined;
  private waiter: (() => void) | undefined;
  /** Bytes the current reader is waiting for (0 when nobody waits). */
  private wanted = 0;
  private flowPaused = false;

  /**
   * @param flow When given, the queue asks its source to pause once more than `highWaterBytes`
   * sit unread (and nobody waits for them), and to resume as reads drain it: TCP then slows the
   * peer, so memory stays flat however much the peer sends.
   */
  constructor(
    private readonly peer: string,
    private readonly flow?: { highWaterBytes: number; pause(): void; resume(): void },
  ) {}

  /** Bytes currently buffered. */
  get length(): number {
    return this.size;
  }

  /** Adds received bytes. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.flow && !this.flowPaused && this.size > this.flow.highWaterBytes && this.size >= this.wanted) {
      this.flowPaused = true;
      this.flow.pause();
    }
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
    this.resumeFlow();
    return all;
  }

  /**
   * Reads exactly n bytes, failing after timeoutMs without a new byte (0 = no limit). The limit
   * counts from the last bytes that arrived: a slow link that keeps delivering is not a silent peer.
   */
  async read(n: number, timeoutMs = 0): Promise<Buffer> {
    let deadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    while (this.size < n) {
      this.wanted = n;
      this.resumeFlow();
      if (this.ended) {
        if (this.size > 0) {
          throw new ProtocolError(`The ${this.peer} closed the connection in the middle of a message.`, this.peer);
        }
        throw this.ended;
      }
      const before = this.size;
      await this.waitForData(deadline);
      if (deadline && this.size > before) deadline = Date.now() + timeoutMs;
    }
    this.wanted = 0;
    return this.take(n);
  }

  /** Reads whatever is available (at least one byte), up to max; undefined at the end of the stream. */
  async readSome(max: number, timeoutMs = 0): Promise<Buffer | undefined> {
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
    while (this.size === 0) {
      this.resumeFlow();
      if (this.ended) return undefined;
      await this.waitForData(deadline);
    }
    return this.take(Math.min(max, this.size));
  }

  /** Removes n buffered bytes, copying only when they span several received chunks. */
  private take(n: number): Buffer {
    // A zero-length frame (a peer may send one) asks for nothing, and there may be no chunk to look at.
    if (n === 0) return Buffer.alloc(0);
    let out: Buffer;
    const first = this.chunks[0];
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.chunks[0];
        const part = Math.min(chunk.length, n - filled);
        chunk.copy(out, filled, 0, part);
        filled += part;
        if (part === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(part);
      }
    }
    this.size -= n;
    if (this.flow && this.size <= this.flow.highWaterBytes / 2) this.resumeFlow();
    return out;
  }

  private resumeFlow(): void {
    if (this.flow && this.flowPaused) {
      this.flowPaused = false;
      this.flow.resume();
    }
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
