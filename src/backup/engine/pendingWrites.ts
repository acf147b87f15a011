/**
 * A bounded set of file writes in flight. Small files are written while the next ones are still
 * arriving from the device, so the link is not idle during each file's open/write/close; the bounds
 * keep memory flat (at most `maxBytes` of buffered content) and the number of open files small.
 */
export class PendingWrites {
  private readonly inFlight = new Set<Promise<void>>();
  private bytes = 0;

  constructor(
    private readonly maxWrites = 32,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  /** Starts a write once there is room; `write` must not reject (it records its own failure). */
  async add(size: number, write: () => Promise<void>): Promise<void> {
    while (this.inFlight.size > 0 && (this.inFlight.size >= this.maxWrites || this.bytes + size > this.maxBytes)) {
      await Promise.race(this.inFlight);
    }
    this.bytes += size;
    const running: Promise<void> = write().finally(() => {
      this.inFlight.delete(running);
      this.bytes -= size;
    });
    this.inFlight.add(running);
  }

  /** Waits for every started write. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
