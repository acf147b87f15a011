import type { LocalizedText } from '../common/localizedText';

/** What the bench does to one device. */
export type BenchOperation = 'backup' | 'restore';

/**
 * Where one device's job stands. The order of a backup: queued → (waiting-for-trust) → (waiting-for-passcode)
 * → backing-up → done | failed | cancelled. Of a restore: queued → checking → refused (a restore check failed,
 * nothing was sent) | (waiting-for-passcode) → restoring → restarting → done | failed | cancelled.
 */
export type BenchRowState =
  | 'queued'
  | 'waiting-for-trust'
  | 'checking'
  | 'waiting-for-passcode'
  | 'backing-up'
  | 'restoring'
  | 'restarting'
  | 'done'
  | 'failed'
  | 'refused'
  | 'cancelled';

/** The states a row no longer leaves by itself (only Retry starts it again). */
export const FINISHED_BENCH_STATES: readonly BenchRowState[] = ['done', 'failed', 'refused', 'cancelled'];

/** What the bench knows of the device, as the report prints it; each field is absent until read. */
export interface BenchDevice {
  udid: string;
  name?: string;
  /** Marketing name when known (e.g. "iPhone 13"), else the product type (e.g. "iPhone14,5"). */
  model?: string;
  serialNumber?: string;
  iosVersion?: string;
}

/** Why a row failed or was refused, as the failure doctor and the restore checks explain it. */
export interface BenchFailure {
  /** The one-sentence error (English, as the log and the CLI print it). */
  sentence: string;
  /** The product's error code (common/errorCodes.ts) or the device's MBErrorCode, when there is one. */
  code?: string;
  /** The failure doctor's cause, or the failed restore check's title; absent when neither recognises it. */
  cause?: LocalizedText;
  /** For a refused restore: what the failed check found on this device (its sentence), in both languages. */
  finding?: LocalizedText;
  /** What to do next: the doctor's fixes or the failed check's action (at most three). */
  nextSteps: LocalizedText[];
}

/** One restore check as a row shows it. */
export interface BenchCheck {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  title: LocalizedText;
}

/** One device's job on the bench, as every view of it (tree, CLI, report) reads it. Rows are snapshots: a change makes a new object. */
export interface BenchRow {
  /** Stable for the row's life in its bench, across retries. */
  id: string;
  operation: BenchOperation;
  device: BenchDevice;
  state: BenchRowState;
  /** 0–100 while backing up or restoring, when the device reported it. */
  percent?: number;
  /** Files and bytes so far, or what the device waits for, in the row's words (English). */
  detail?: string;
  /** 1 for the first run, +1 per Retry. */
  attempt: number;
  /** Epoch milliseconds of this attempt's start and end. */
  startedAt?: number;
  endedAt?: number;
  /** For a restore: the backup folder restored from. */
  backupDir?: string;
  /** For a restore: every check's outcome, once the checks ran on this device. */
  checks?: BenchCheck[];
  /** For a done restore: what to do on this device next (restart, Remote Management, agent re-authentication…). */
  nextSteps?: LocalizedText[];
  /** For a done backup: where it was written, and the one-line result ("2,000 files (120 MB)"). */
  backupResultDir?: string;
  summary?: string;
  failure?: BenchFailure;
}

/** Counts over a bench's rows, for the view's title and the CLI's last line. */
export interface BenchSummary {
  total: number;
  running: number;
  queued: number;
  done: number;
  failed: number;
  refused: number;
  cancelled: number;
}
