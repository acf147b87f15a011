import { inspect } from 'node:util';

/** How an operation ended. */
export type OperationOutcome = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** The failure doctor's explanation of a failed run, as English text (the report stays English). */
export interface RecordedExplanation {
  entryId: string;
  title: string;
  cause: string;
  fix: string[];
}

/** One command run, kept for the diagnostic report. */
export interface OperationRecord {
  command: string;
  /** What it ran on: a UDID or a backup folder, when the command was given one. */
  target?: string;
  startedAt: Date;
  finishedAt?: Date;
  outcome: OperationOutcome;
  /** Text only: the Error object would keep device state and buffers alive in the history. */
  error?: { name: string; code?: string; message: string; explanation?: RecordedExplanation };
  /** What the person has to do after the run (a restore's post-restore steps), as written by the command. */
  followUps?: string[];
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

  /**
   * Records how a command run ended; a failure also records the failure doctor's explanation, when it has one.
   * The outcome is recorded at once; the promise settles when the explanation is there too (the doctor's
   * knowledge base is loaded the first time something fails, not when the extension activates).
   */
  async finish(record: OperationRecord, outcome: Exclude<OperationOutcome, 'running'>, error?: unknown, now: Date = new Date()): Promise<void> {
    record.outcome = outcome;
    record.finishedAt = now;
    if (error !== undefined) {
      // A thrown non-Error is described as a value (an object's fields, not '[object Object]').
      const e = error instanceof Error ? error : new Error(typeof error === 'string' ? error : inspect(error));
      record.error = { name: e.name, message: e.message };
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string') record.error.code = code;
      if (outcome === 'failed') {
        const { explainError, primaryEntry } = await import('../../doctor');
        const entry = primaryEntry(explainError(error));
        if (entry) record.error.explanation = { entryId: entry.id, title: entry.title.en, cause: entry.cause.en, fix: entry.fix.map((f) => f.en) };
      }
    }
  }

  /** The newest run of a command that has not finished: how a running command handler finds its own record. */
  current(command: string): OperationRecord | undefined {
    return [...this.records].reverse().find((r) => r.command === command && r.outcome === 'running');
  }

  /** Adds lines the person must act on after the run (shown under the run in the diagnostic report). */
  addFollowUp(record: OperationRecord, lines: string[]): void {
    record.followUps = [...(record.followUps ?? []), ...lines];
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
