import { FINISHED_BENCH_STATES, type BenchRow, type BenchSummary } from './benchRow';

/** Counts a bench's rows by where they stand: queued, running (any state between), and each finished state. */
export function summarizeBench(rows: readonly BenchRow[]): BenchSummary {
  const summary: BenchSummary = { total: rows.length, running: 0, queued: 0, done: 0, failed: 0, refused: 0, cancelled: 0 };
  for (const row of rows) {
    switch (row.state) {
      case 'queued':
        summary.queued++;
        break;
      case 'done':
      case 'failed':
      case 'refused':
      case 'cancelled':
        summary[row.state]++;
        break;
      default:
        summary.running++;
    }
  }
  return summary;
}

/** True when the row no longer changes by itself (done, failed, refused, cancelled). */
export function isFinishedRow(row: BenchRow): boolean {
  return FINISHED_BENCH_STATES.includes(row.state);
}
