import type { promises as fs } from 'node:fs';

/** Bytes gathered before one write: large enough that a big file costs few thread-pool trips. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Writes a large file that arrives in many small pieces: pieces are gathered into batches, and one batch
 * is written (at its own position) while the next is still arriving, so reading from the device and
 * writing to disk overlap. At most one batch is being written and one gathered, so memory stays at about
 * two batches whatever the file's size. Every write is awaited before the file counts as done.
 */
export class StreamedFileWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private writing: Promise<unknown> | undefined;

  constructor(
    private readonly handle: fs.FileHandle,
    /** Where the next byte goes (what was already written to the handle). */
    private position: number,
  ) {}

  /** Takes one piece; waits only when the batch is full and the previous one is still being written. */
  async add(piece: Buffer): Promise<void> {
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.pendingBytes >= WRITE_BATCH_BYTES) await this.startWrite();
  }

  /** Writes what is left, waits for every write, and closes the file; a write error rejects after closing. */
  async finish(): Promise<void> {
    try {
      await this.startWrite();
      await this.writing;
    } finally {
      await this.handle.close();
    }
  }

  /** Waits for a write in flight (its error no longer matters) and closes the file. */
  async abandon(): Promise<void> {
    await this.writing?.catch(() => undefined);
    this.pending = [];
    await this.handle.close().catch(() => undefined);
  }

  private async startWrite(): Promise<void> {
    // The previous batch first: its error surfaces here, and memory stays at two batches.
    await this.writing;
    if (this.pendingBytes === 0) return;
    const buffers = this.pending;
    const at = this.position;
    this.position += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const write = this.handle.writev(buffers, at);
    // Observed here so that a failure while nobody awaits yet is not reported as unhandled; it is
    // rethrown by the next startWrite or finish, which await `writing`.
    write.catch(() => undefined);
    this.writing = write;
  }
}
