import type { BenchRow, BenchSummary } from '../../../src/kitting/benchRow';

/** A bench row as the bench would hold it, with the given fields over a queued backup of a named iPhone. */
export function benchRow(fields: Partial<BenchRow> & { udid?: string; name?: string } = {}): BenchRow {
  const { udid = '00008110-0000000000B00003', name = 'Bench iPhone 3', ...rest } = fields;
  return {
    id: `row-${udid}`,
    operation: 'backup',
    device: { udid, name, model: 'iPhone 13', serialNumber: 'F2LXK0AB0D42', iosVersion: '17.2' },
    state: 'queued',
    attempt: 1,
    ...rest,
  };
}

/** The counts over rows, as KittingBench.summary() reports them. */
export function countsOf(rows: readonly BenchRow[]): BenchSummary {
  const count = (...states: BenchRow['state'][]) => rows.filter((r) => states.includes(r.state)).length;
  return {
    total: rows.length,
    queued: count('queued'),
    running: count('waiting-for-trust', 'checking', 'waiting-for-passcode', 'backing-up', 'restoring', 'restarting'),
    done: count('done'),
    failed: count('failed'),
    refused: count('refused'),
    cancelled: count('cancelled'),
  };
}
