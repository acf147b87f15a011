/** How an operation ended. */
export type OperationOutcome = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One command run, kept for the diagnostic report. */
export interface OperationRecord {
  command: string;
  /** What it ran on: a UDID or a backup folder, when the command was given one. */
  target?: string;
  startedAt: Date;
  finishedAt?: Date;
  outcome: OperationOutcome;
  error?: { name: string; code?: string; message: string };
}

/** The last command runs (newest last), so a report can say what was done and how it failed. */
export class OperationHistory {
  private readonly records: OperationRecord[] = [];

  constructor(private readonly capacity = 20) {}

  /** Records the start of a command run. */
  start(command: string, target: string | undefined, now: Date = new Date()): OperationRecord {
    const record: OperationRecord = { command, startedAt: now, outcome: 'running' };
    if (target !== undefined) record.target = target;
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.shift();
    return record;
  }

  /** Records how a command run ended. */
  finish(record: OperationRecord, outcome: Exclude<OperationOutcome, 'running'>, error?: unknown, now: Date = new Date()): void {
    record.outcome = outcome;
    record.finishedAt = now;
    if (error !== undefined) {
      const e = error instanceof Error ? error : new Error(String(error));
      record.error = { name: e.name, message: e.message };
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string') record.error.code = code;
    }
  }

  /** The kept runs, oldest first. */
  all(): readonly OperationRecord[] {
    return this.records;
  }

  /** The newest failed run, if any. */
  lastFailure(): OperationRecord | undefined {
    return [...this.records].reverse().find((r) => r.outcome === 'failed');
  }
}
