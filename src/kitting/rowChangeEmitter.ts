import type { Logger } from '../common/logger';
import type { BenchRow } from './benchRow';

/** Shortest pause between two progress events of one row: a transfer reports thousands of changes a second. */
export const ROW_PROGRESS_INTERVAL_MS = 100;

/**
 * Tells listeners about row changes. A change of state goes out at once; a change of only the percent or the
 * detail goes out at most once per row per interval, with the row as it is by then (the views and the CLI
 * redraw per event, so coalescing keeps them cheap whatever the transfer rate). A listener that throws is
 * logged and skipped: one broken view must not stop the bench or the other views.
 */
export class RowChangeEmitter {
  private readonly listeners = new Set<(row: BenchRow) => void>();
  /** Per row id: the last row sent, when it went, and the timer of a change held back. */
  private readonly sent = new Map<string, { row: BenchRow; at: number; timer?: ReturnType<typeof setTimeout>; latest?: BenchRow }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = ROW_PROGRESS_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe(listener: (row: BenchRow) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A row changed: sent now when its state changed (or it is new), else within the interval. */
  changed(row: BenchRow): void {
    const last = this.sent.get(row.id);
    if (!last || last.row.state !== row.state || last.row.attempt !== row.attempt) {
      this.send(row);
      return;
    }
    last.latest = row;
    if (last.timer !== undefined) return;
    const wait = last.at + this.intervalMs - this.now();
    if (wait <= 0) {
      this.send(row);
      return;
    }
    last.timer = setTimeout(() => {
      last.timer = undefined;
      const latest = last.latest;
      // A state change sent meanwhile already carried the newer row.
      if (latest && this.sent.get(row.id) === last) this.send(latest);
    }, wait);
  }

  /** Forgets a row (dropped from the bench): nothing more is sent for it. */
  forget(rowId: string): void {
    const last = this.sent.get(rowId);
    if (last?.timer !== undefined) clearTimeout(last.timer);
    this.sent.delete(rowId);
  }

  /** Stops every held-back event and drops the listeners. */
  dispose(): void {
    for (const id of [...this.sent.keys()]) this.forget(id);
    this.listeners.clear();
  }

  private send(row: BenchRow): void {
    const last = this.sent.get(row.id);
    if (last?.timer !== undefined) clearTimeout(last.timer);
    this.sent.set(row.id, { row, at: this.now() });
    for (const listener of [...this.listeners]) {
      try {
        listener(row);
      } catch (err) {
        this.logger.warn('a bench listener failed; the bench goes on', { row: row.id, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
