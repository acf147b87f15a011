import '../vscodeStub';
import assert from 'node:assert/strict';
import { benchReportBaseName } from '../../../../src/ui/commands/bench/exportBenchReport';

describe('ui: Export Bench Report', () => {
  it('names the file by the local date and time, minutes included, zero-padded', () => {
    assert.equal(benchReportBaseName(new Date(2026, 11, 7, 9, 5)), 'bench-report-2026-12-07-0905');
    assert.equal(benchReportBaseName(new Date(2027, 0, 31, 23, 59)), 'bench-report-2027-01-31-2359');
  });
});
