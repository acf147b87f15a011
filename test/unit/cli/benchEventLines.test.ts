import assert from 'node:assert/strict';
import { BenchEventLines } from '../../../src/cli/benchEventLines';
import { benchRow } from './benchRowFixtures';

const UDID = '00008110-0000000000B00003';
const LABEL = `${UDID} "Bench iPhone 3"`;

describe('cli: bench progress as plain lines (stderr not a terminal)', () => {
  it('prints a state change, then the percent in steps of 10 %, with the files and bytes', () => {
    const lines = new BenchEventLines('en');
    const seen = [
      benchRow({ state: 'queued' }),
      benchRow({ state: 'queued' }),
      benchRow({ state: 'backing-up', percent: 0, detail: '0 files, 0 B' }),
      benchRow({ state: 'backing-up', percent: 4, detail: '80 files, 2 MB' }),
      benchRow({ state: 'backing-up', percent: 9.9, detail: '190 files, 3 MB' }),
      benchRow({ state: 'backing-up', percent: 41, detail: '812 files, 12 MB' }),
      benchRow({ state: 'backing-up', percent: 45, detail: '900 files, 13 MB' }),
      benchRow({ state: 'done', percent: 100, startedAt: 1_000, endedAt: 66_000, summary: '2,000 files, 120.0 MB' }),
    ].flatMap((row) => lines.linesFor(row));
    assert.deepEqual(seen, [
      `${LABEL}: queued`,
      `${LABEL}: backing up 0 % (0 files, 0 B)`,
      `${LABEL}: backing up 41 % (812 files, 12 MB)`,
      `${LABEL}: done in 1 min 05 s: 2,000 files, 120.0 MB`,
    ]);
  });

  it('prints the wait for the passcode or for Trust, and the UDID alone while the name is unknown', () => {
    const lines = new BenchEventLines('en');
    const trust = 'Unlock the device, tap "Trust" and enter its passcode.';
    assert.deepEqual(lines.linesFor(benchRow({ name: undefined, state: 'waiting-for-trust', detail: trust, device: { udid: UDID } })), [
      `${UDID}: waiting for Trust (${trust})`,
    ]);
    const passcode = 'Enter the passcode on the device to let the backup start.';
    assert.deepEqual(lines.linesFor(benchRow({ state: 'waiting-for-passcode', detail: passcode })), [`${LABEL}: waiting for the passcode (${passcode})`]);
    assert.deepEqual(lines.linesFor(benchRow({ state: 'waiting-for-passcode', detail: passcode })), []);
  });

  it('prints a restore\'s failed and warned checks once, when they are known, then the refusal with its cause', () => {
    const lines = new BenchEventLines('en');
    const checks = [
      { id: 'backup-complete', status: 'pass' as const, title: { en: 'The backup is complete', ja: 'バックアップは完全です' } },
      { id: 'free-space', status: 'warn' as const, title: { en: 'Free space is tight', ja: '空き容量が少ない' } },
      { id: 'find-my', status: 'fail' as const, title: { en: 'Find My is on', ja: '「探す」がオン' } },
    ];
    const restore = { operation: 'restore' as const, backupDir: '/b' };
    assert.deepEqual(lines.linesFor(benchRow({ ...restore, state: 'checking' })), [`${LABEL}: checking`]);
    assert.deepEqual(lines.linesFor(benchRow({ ...restore, state: 'checking', checks })), [`${LABEL}: check failed: Find My is on`, `${LABEL}: check warning: Free space is tight`]);
    const failure = { sentence: 'A restore check failed: Find My is on.', cause: { en: 'Find My is on', ja: '「探す」がオン' }, nextSteps: [] };
    assert.deepEqual(lines.linesFor(benchRow({ ...restore, state: 'refused', checks, failure })), [`${LABEL}: refused by the checks: Find My is on`]);
  });

  it('starts over on a retry (the attempt changes); a failure is said by its sentence, a refusal by the check', () => {
    const lines = new BenchEventLines('ja');
    const failure = { sentence: 'The device was detached.', cause: { en: 'The cable came loose', ja: 'ケーブルが外れました' }, nextSteps: [] };
    assert.deepEqual(lines.linesFor(benchRow({ state: 'failed', failure })), [`${LABEL}: 失敗: The device was detached.`]);
    assert.deepEqual(lines.linesFor(benchRow({ state: 'failed', failure })), []);
    assert.deepEqual(lines.linesFor(benchRow({ state: 'failed', failure, attempt: 2 })), [`${LABEL}: 失敗: The device was detached.`]);
    assert.deepEqual(lines.linesFor(benchRow({ state: 'refused', failure, attempt: 3 })), [`${LABEL}: チェックで中止: ケーブルが外れました`]);
  });

  it('never prints a control character from the device\'s name or the engine\'s detail', () => {
    const lines = new BenchEventLines('en');
    const [line] = lines.linesFor(benchRow({ name: 'Evil\x1b[2J\nPhone', state: 'backing-up', percent: 10, detail: 'x\ry' }));
    assert.equal(line, `${UDID} "Evil [2J Phone": backing up 10 % (x y)`);
  });
});
