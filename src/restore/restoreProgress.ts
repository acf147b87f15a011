import { TransferProgressTracker, type TransferPhase, type TransferProgress } from '../backup/transfer/transferProgressTracker';

/** Where a restore is: the checks come before the transfer phases. */
export type RestorePhase = 'checking' | TransferPhase;

/** The counters of a restore, named for what goes to the device. */
export interface RestoreCounts {
  /** Files sent to the device whole so far. */
  filesSent: number;
  /** File bytes sent to the device so far. */
  bytesSent: number;
}

/** One progress report of a running restore. */
export type RestoreProgress = TransferProgress<RestorePhase, RestoreCounts>;

/** Collects the counters of a restore and reports each change to a listener. */
export class RestoreProgressTracker extends TransferProgressTracker<RestoreCounts, 'checking'> {
  constructor(listener: ((progress: RestoreProgress) => void) | undefined, now: () => number = Date.now) {
    // A restore streams files before the device sends its first estimate.
    super({ firstPhase: 'checking', bytesStartTransfer: true }, listener, now);
  }

  protected override countsNamed(files: number, bytes: number): RestoreCounts {
    return { filesSent: files, bytesSent: bytes };
  }
}
