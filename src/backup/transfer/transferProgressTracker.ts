/** The phases a backup and a restore both go through. */
export type TransferPhase = 'preparing' | 'waiting-for-device' | 'transferring' | 'finishing';

/** One progress report of a running transfer; `Counts` names the file and byte counters for its direction. */
export type TransferProgress<Phase extends string, Counts> = {
  phase: Phase;
  /** The device's own estimate (0–100); it moves in steps and may stall or step back. */
  percent?: number;
} & Counts & {
  /** Average rate since the transfer started. */
  bytesPerSecond: number;
  elapsedMs: number;
};

/** How a direction's tracker begins. */
export interface TransferStart<Phase extends string> {
  firstPhase: Phase;
  /** True when bytes moved before the device's first estimate also mean the transfer has begun. */
  bytesStartTransfer: boolean;
}

/**
 * Collects the counters of a backup or a restore and reports each change to a listener. The two
 * differ only in their extra phases and in what they call the counters (received or sent), which
 * each subclass says in `countsNamed`.
 */
export abstract class TransferProgressTracker<Counts extends object, ExtraPhase extends string = never> {
  private phase: TransferPhase | ExtraPhase;
  private percent: number | undefined;
  private files = 0;
  private bytes = 0;
  private readonly startedAt: number;
  private transferStartedAt: number | undefined;

  private readonly bytesStartTransfer: boolean;

  protected constructor(
    start: TransferStart<TransferPhase | ExtraPhase>,
    private readonly listener: ((progress: TransferProgress<TransferPhase | ExtraPhase, Counts>) => void) | undefined,
    private readonly now: () => number,
  ) {
    this.phase = start.firstPhase;
    this.bytesStartTransfer = start.bytesStartTransfer;
    this.startedAt = now();
  }

  /** Moves to another phase. */
  setPhase(phase: TransferPhase | ExtraPhase): void {
    this.phase = phase;
    if (phase === 'transferring') this.transferStartedAt ??= this.now();
    this.emit();
  }

  /** Records the device's progress estimate; the first one means the transfer has begun. */
  setPercent(percent: number): void {
    this.percent = percent;
    this.startTransferIfWaiting();
  }

  /** Counts file bytes moved. */
  addBytes(n: number): void {
    this.bytes += n;
    if (this.bytesStartTransfer) this.startTransferIfWaiting();
    else this.emit();
  }

  /** Counts one file moved whole. */
  addFile(): void {
    this.files++;
    this.emit();
  }

  /** The current counters. */
  snapshot(): TransferProgress<TransferPhase | ExtraPhase, Counts> {
    const now = this.now();
    const transferMs = this.transferStartedAt === undefined ? 0 : now - this.transferStartedAt;
    const progress: TransferProgress<TransferPhase | ExtraPhase, Counts> = {
      phase: this.phase,
      ...this.countsNamed(this.files, this.bytes),
      bytesPerSecond: transferMs > 0 ? Math.round((this.bytes * 1000) / transferMs) : 0,
      elapsedMs: now - this.startedAt,
    };
    if (this.percent !== undefined) progress.percent = this.percent;
    return progress;
  }

  /** The file and byte counters under the names the progress reports of this direction use. */
  protected abstract countsNamed(files: number, bytes: number): Counts;

  private startTransferIfWaiting(): void {
    if (this.phase === 'waiting-for-device') this.setPhase('transferring');
    else this.emit();
  }

  private emit(): void {
    this.listener?.(this.snapshot());
  }
}
