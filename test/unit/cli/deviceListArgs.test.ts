import assert from 'node:assert/strict';
import { parseArgs } from '../../../src/cli/args';
import { deviceSelectionFromArgs, type DeviceSelection } from '../../../src/cli/deviceListArgs';
import { DEFAULT_BENCH_JOBS } from '../../../src/kitting/kittingBench';
import { isUsageError } from '../../../src/common/errors';

const BACKUP_FLAGS = { booleans: ['full', 'all'], values: ['dir', 'jobs'] };
const RESTORE_FLAGS = { booleans: ['all'], values: ['from', 'jobs'], lists: ['to'] };
const A = '00008110-0000000000B00001';
const B = '00008110-0000000000B00002';
const C = '00008110-0000000000B00003';

const backupSelection = (...words: string[]): DeviceSelection => deviceSelectionFromArgs(parseArgs(words, BACKUP_FLAGS), { what: 'the device UDID' });
const restoreSelection = (...words: string[]): DeviceSelection =>
  deviceSelectionFromArgs(parseArgs(words, RESTORE_FLAGS), { what: 'the target device UDID', listFlag: 'to' });

/** Asserts a usage error (exit 2) whose sentence matches. */
function assertUsage(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => isUsageError(err) && message.test(err.message));
}

describe('cli: device lists of the batch forms', () => {
  it('one UDID alone is the single-device form', () => {
    assert.deepEqual(backupSelection(A, '--dir', '/tmp/x'), { kind: 'one', udid: A });
    assert.deepEqual(restoreSelection(A, '--from', '/b'), { kind: 'one', udid: A });
  });

  it('two or more UDIDs, --all or --jobs make a batch (jobs 4 unless given)', () => {
    assert.deepEqual(backupSelection(A, B, C), { kind: 'batch', udids: [A, B, C], all: false, jobs: DEFAULT_BENCH_JOBS });
    assert.deepEqual(backupSelection('--all'), { kind: 'batch', udids: [], all: true, jobs: 4 });
    assert.deepEqual(backupSelection(A, '--jobs', '1'), { kind: 'batch', udids: [A], all: false, jobs: 1 });
    assert.deepEqual(backupSelection('--all', '--jobs=16'), { kind: 'batch', udids: [], all: true, jobs: 16 });
  });

  it('restore takes its targets after --to, every word up to the next flag, in order; repeated --to appends', () => {
    assert.deepEqual(restoreSelection('--from', '/b', '--to', A, B, C, '--jobs', '2'), { kind: 'batch', udids: [A, B, C], all: false, jobs: 2 });
    assert.deepEqual(restoreSelection('--to', A, '--from', '/b'), { kind: 'batch', udids: [A], all: false, jobs: 4 });
    assert.deepEqual(restoreSelection('--to', A, '--from', '/b', '--to=' + B), { kind: 'batch', udids: [A, B], all: false, jobs: 4 });
  });

  it('refuses a device listed twice, naming it (also in another letter case)', () => {
    assertUsage(() => backupSelection(A, B, A), new RegExp(`^The device ${A} is listed twice\\.$`));
    assertUsage(() => restoreSelection('--to', A, B.toLowerCase(), B, '--from', '/b'), new RegExp(`^The device ${B} is listed twice\\.$`));
  });

  it('refuses --jobs outside 1..16 or not a whole number', () => {
    for (const jobs of ['0', '17', '-1', '2.5', 'four', '', '0x4', '1e1']) {
      assertUsage(() => backupSelection('--all', `--jobs=${jobs}`), /^--jobs must be a whole number from 1 to 16 \(got ".*"\)\.$/);
    }
  });

  it('refuses --all together with UDIDs, and no device at all', () => {
    assertUsage(() => backupSelection('--all', A), /^Give either --all or device UDIDs, not both/);
    assertUsage(() => restoreSelection('--all', '--to', A, '--from', '/b'), /^Give either --all or device UDIDs, not both/);
    assertUsage(() => backupSelection('--dir', '/x'), /^Missing the device UDID \(or --all for every attached device\)\.$/);
    assertUsage(() => restoreSelection('--from', '/b'), /^Missing the target device UDID \(or --all/);
  });

  it('refuses targets named both as the first word and after --to', () => {
    assertUsage(() => restoreSelection(A, '--to', B, '--from', '/b'), /^Name the devices either as the first word or after --to, not both \(got "00008110-0000000000B00001"\)\.$/);
  });

  it('refuses a word that is not a UDID in a batch, and an empty --to', () => {
    assertUsage(() => backupSelection(A, 'not a udid'), /^"not a udid" is not a device UDID/);
    assertUsage(() => backupSelection(A, 'x'.repeat(65)), /is not a device UDID/);
    assertUsage(() => restoreSelection('--to', '--from', '/b'), /^The flag --to needs a value\.$/);
    assertUsage(() => restoreSelection('--from', '/b', '--to'), /^The flag --to needs a value\.$/);
  });
});
