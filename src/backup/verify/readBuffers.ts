/** Bytes asked of the disk per read: large enough that per-call costs vanish, small enough to stay in cache. */
export const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * Read buffers reused from file to file. A fresh buffer per file or per read would be garbage that V8 only
 * collects once tens of MB of it have piled up outside its heap; reusing a few keeps memory flat.
 */
export class ReadBuffers {
  private readonly free: Buffer[] = [];

  constructor(private readonly bytes = READ_BUFFER_BYTES) {}

  /** A buffer for one file's reads; give it back when the file is done. */
  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.bytes);
  }

  giveBack(buffer: Buffer): void {
    this.free.push(buffer);
  }
}
