/**
 * Small-file writes in flight in this process at most, whatever the number of backups running at once:
 * each can hold an open file, and eight backups × 32 writes each would approach the 256 descriptors a
 * process may have by default on macOS (sockets, the Manifest.db worker and large files need some too).
 */
const PROCESS_WRITES = 128;

let processWrites = 0;
const waitingForRoom: (() => void)[] = [];

/** Waits until the process has fewer than PROCESS_WRITES writes in flight, then counts one more. */
async function enterProcessWrites(): Promise<void> {
  while (processWrites >= PROCESS_WRITES) await new Promise<void>((resolve) => waitingForRoom.push(resolve));
  processWrites++;
}

function leaveProcessWrites(): void {
  processWrites--;
  waitingForRoom.shift()?.();
}

/**
 * A bounded set of file writes in flight. Small files are written while the next ones are still
 * arriving from the device, so the link is not idle during each file's open/write/close; the bounds
 * keep memory flat (at most `maxBytes` of buffered content per backup) and the number of open files
 * small (at most `maxWrites` per backup, and PROCESS_WRITES across every backup of the process).
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
    // Counted in this backup before the process-wide wait, so settle() also waits for a write still queued there.
    const running: Promise<void> = enterProcessWrites()
      .then(() => write().finally(leaveProcessWrites))
      .finally(() => {
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

/** Small-file writes in flight in the process now (for tests of the process-wide bound). */
export function processWritesInFlight(): number {
  return processWrites;
}
