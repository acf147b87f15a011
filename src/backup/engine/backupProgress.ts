/** Where a backup is. */
export type BackupPhase = 'preparing' | 'waiting-for-device' | 'transferring' | 'finishing';

/** One progress report of a running backup. */
export interface BackupProgress {
  phase: BackupPhase;
  /** The device's own estimate (0–100); it moves in steps and may stall or step back. */
  percent?: number;
  /** Files received from the device so far. */
  filesReceived: number;
  /** File bytes received from the device so far. */
  bytesReceived: number;
  /** Average receive rate since the transfer started. */
  bytesPerSecond: number;
  elapsedMs: number;
}

/** Collects the counters of a backup and reports each change to a listener. */
export class BackupProgressTracker {
  private phase: BackupPhase = 'preparing';
  private percent: number | undefined;
  private files = 0;
  private bytes = 0;
  private readonly startedAt: number;
  private transferStartedAt: number | undefined;

  constructor(
    private readonly listener: ((progress: BackupProgress) => void) | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Moves to another phase. */
  setPhase(phase: BackupPhase): void {
    this.phase = phase;
    if (phase === 'transferring') this.transferStartedAt ??= this.now();
    this.emit();
  }

  /** Records the device's progress estimate. */
  setPercent(percent: number): void {
    this.percent = percent;
    if (this.phase === 'waiting-for-device') this.setPhase('transferring');
    else this.emit();
  }

  /** Counts received file bytes. */
  addBytes(n: number): void {
    this.bytes += n;
    this.emit();
  }

  /** Counts one fully received file. */
  addFile(): void {
    this.files++;
    this.emit();
  }

  /** The current counters. */
  snapshot(): BackupProgress {
    const now = this.now();
    const transferMs = this.transferStartedAt === undefined ? 0 : now - this.transferStartedAt;
    const progress: BackupProgress = {
      phase: this.phase,
      filesReceived: this.files,
      bytesReceived: this.bytes,
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
