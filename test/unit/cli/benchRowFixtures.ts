import type { BenchRow } from '../../../src/kitting/benchRow';

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

