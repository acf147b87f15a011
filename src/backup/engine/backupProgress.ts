import { TransferProgressTracker, type TransferPhase, type TransferProgress } from '../transfer/transferProgressTracker';

/** Where a backup is. */
export type BackupPhase = TransferPhase;

/** The counters of a backup, named for what comes from the device. */
export interface BackupCounts {
  /** Files received from the device so far. */
  filesReceived: number;
  /** File bytes received from the device so far. */
  bytesReceived: number;
}

/** One progress report of a running backup. */
export type BackupProgress = TransferProgress<BackupPhase, BackupCounts>;

/** Collects the counters of a backup and reports each change to a listener. */
export class BackupProgressTracker extends TransferProgressTracker<BackupCounts> {
  constructor(listener: ((progress: BackupProgress) => void) | undefined, now: () => number = Date.now) {
    super({ firstPhase: 'preparing', bytesStartTransfer: false }, listener, now);
  }

  protected override countsNamed(files: number, bytes: number): BackupCounts {
    return { filesReceived: files, bytesReceived: bytes };
  }
}
