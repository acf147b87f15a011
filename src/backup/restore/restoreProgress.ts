/** Where a restore is. */
export type RestorePhase = 'checking' | 'preparing' | 'waiting-for-device' | 'transferring' | 'finishing';

/** One progress report of a running restore. */
export interface RestoreProgress {
  phase: RestorePhase;
  /** The device's own estimate (0–100); it moves in steps and may stall or step back. */
  percent?: number;
  /** Files sent to the device whole so far. */
  filesSent: number;
  /** File bytes sent to the device so far. */
  bytesSent: number;
  /** Average send rate since the transfer started. */
  bytesPerSecond: number;
  elapsedMs: number;
}

/** Collects the counters of a restore and reports each change to a listener. */
export class RestoreProgressTracker {
  private phase: RestorePhase = 'checking';
  private percent: number | undefined;
  private files = 0;
  private bytes = 0;
  private readonly startedAt: number;
  private transferStartedAt: number | undefined;

  constructor(
    private readonly listener: ((progress: RestoreProgress) => void) | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Moves to another phase. */
  setPhase(phase: RestorePhase): void {
    this.phase = phase;
    if (phase === 'transferring') this.transferStartedAt ??= this.now();
    this.emit();
  }

  /** Records the device's progress estimate; the first one means the transfer has begun. */
  setPercent(percent: number): void {
    this.percent = percent;
    if (this.phase === 'waiting-for-device') this.setPhase('transferring');
    else this.emit();
  }

  /** Counts sent file bytes; bytes before any progress estimate also mean the transfer has begun. */
  addBytes(n: number): void {
    this.bytes += n;
    if (this.phase === 'waiting-for-device') this.setPhase('transferring');
    else this.emit();
  }

  /** Counts one file sent whole. */
  addFile(): void {
    this.files++;
    this.emit();
  }

  /** The current counters. */
  snapshot(): RestoreProgress {
    const now = this.now();
    const transferMs = this.transferStartedAt === undefined ? 0 : now - this.transferStartedAt;
    const progress: RestoreProgress = {
      phase: this.phase,
      filesSent: this.files,
      bytesSent: this.bytes,
      bytesPerSecond: transferMs > 0 ? Math.round((this.bytes * 1000) / transferMs) : 0,
      elapsedMs: now - this.startedAt,
    };
    if (this.percent !== undefined) progress.percent = this.percent;
    return progress;
  }

  private emit(): void {
    this.listener?.(this.snapshot());
  }
}
