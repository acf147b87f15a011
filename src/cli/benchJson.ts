import type { BenchCheck, BenchOperation, BenchRow, BenchRowState } from '../kitting/benchRow';
import { benchRowDurationMs } from './benchRowText';

/** One device's result in `backup|restore … --json` (texts in English, as the rest of the CLI's JSON). */
export interface BenchRowJson {
  udid: string;
  name: string | null;
  model: string | null;
  serial: string | null;
  iOS: string | null;
  operation: BenchOperation;
  state: BenchRowState;
  attempt: number;
  durationMs: number | null;
  /** A backup: the folder it was written to. A restore: the backup restored from. */
  backupDir: string | null;
  /** A done backup's one-line result. */
  summary: string | null;
  /** A restore's checks, once they ran on the device. */
  checks: Array<{ id: string; status: BenchCheck['status']; title: string }> | null;
  /** A done restore's steps on the device. */
  nextSteps: string[] | null;
  failure: { sentence: string; code: string | null; cause: string | null; finding: string | null; nextSteps: string[] } | null;
}

/** A row as `--json` prints it. */
export function benchRowJson(row: BenchRow): BenchRowJson {
  const d = row.device;
  const failure = row.failure;
  return {
    udid: d.udid,
    name: d.name ?? null,
    model: d.model ?? null,
    serial: d.serialNumber ?? null,
    iOS: d.iosVersion ?? null,
    operation: row.operation,
    state: row.state,
    attempt: row.attempt,
    durationMs: benchRowDurationMs(row) ?? null,
    backupDir: (row.operation === 'backup' ? row.backupResultDir : row.backupDir) ?? null,
    summary: row.summary ?? null,
    checks: row.checks?.map((c) => ({ id: c.id, status: c.status, title: c.title.en })) ?? null,
    nextSteps: row.nextSteps?.map((s) => s.en) ?? null,
    failure: failure
      ? { sentence: failure.sentence, code: failure.code ?? null, cause: failure.cause?.en ?? null, finding: failure.finding?.en ?? null, nextSteps: failure.nextSteps.map((s) => s.en) }
      : null,
  };
}
