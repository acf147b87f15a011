import assert from 'node:assert/strict';
import { benchBlockLines } from '../../../src/cli/benchBlock';
import { BenchProgress, stderrTerminal, type ScheduleRedraw } from '../../../src/cli/benchProgress';
import type { BenchRow } from '../../../src/kitting/benchRow';
import { summarizeBench } from '../../../src/kitting/benchSummary';
import { benchRow } from './benchRowFixtures';

const rows: BenchRow[] = [
  benchRow({ udid: '00008110-0000000000B00001', name: 'Source iPhone', state: 'done', startedAt: 0, endedAt: 42_000, summary: '120 files (2.0 MB)' }),
  benchRow({ udid: '00008110-0000000000B00002', name: 'Bench iPhone 2', state: 'backing-up', percent: 45.7, detail: '812 files, 12 MB' }),
  benchRow({ udid: '00008110-0000000000B00003', name: 'Bench iPhone 3', state: 'waiting-for-passcode' }),
  benchRow({ udid: '00008110-0000000000B00004', name: undefined, device: { udid: '00008110-0000000000B00004' }, state: 'queued' }),
];

describe('cli: bench progress as a live block (stderr a terminal)', () => {
  it('one line per device (short UDID, name column, state) and the counts', () => {
    assert.deepEqual(benchBlockLines(rows, summarizeBench(rows), 'en', 200), [
      '00008110-…0001  Source iPhone   done in 42 s: 120 files (2.0 MB)',
      '00008110-…0002  Bench iPhone 2  backing up 45 % (812 files, 12 MB)',
      '00008110-…0003  Bench iPhone 3  waiting for the passcode',
      '00008110-…0004                  queued',
      '4 devices: 2 running, 1 queued, 1 done, 0 failed, 0 refused',
    ]);
  });

  it('cuts every line to the terminal\'s width less one column, counting Japanese characters as two', () => {
    const lines = benchBlockLines(rows, summarizeBench(rows), 'ja', 40);
    assert.equal(lines[1], '00008110-…0002  Bench iPhone 2  バック…');
    assert.equal(lines[4], '4 台: 実行中 2、待機中 1、完了 1、失敗…');
    const narrow = benchBlockLines(rows, summarizeBench(rows), 'en', 30);
    assert.deepEqual(narrow.map((l) => l.length), [29, 29, 29, 29, 29]);
  });

  it('redraws in place: cursor up over the last block, each line cleared; at most one redraw per 250 ms', () => {
    let now = 1_000;
    const timers: Array<{ run: () => void; delayMs: number; cancelled: boolean }> = [];
    const schedule: ScheduleRedraw = (run, delayMs) => {
      const timer = { run, delayMs, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    };
    const written: string[] = [];
    const shown = rows.slice(0, 2);
    const progress = new BenchProgress({ source: { rows: shown, summary: () => summarizeBench(shown) }, note: (t) => written.push(t), lang: 'en', terminal: { columns: () => 80 }, now: () => now, schedule });
    progress.update(shown[0]);
    progress.update(shown[1]);
    assert.equal(timers.length, 1, 'changes while a redraw is pending share it');
    assert.equal(timers[0].delayMs, 0);
    timers[0].run();
    assert.equal(written.length, 1);
    assert.ok(written[0].startsWith('\r\x1b[2K00008110-…0001'), JSON.stringify(written[0]));
    assert.equal(written[0].split('\n').length, 3);
    now += 100;
    progress.update(shown[1]);
    assert.equal(timers[1].delayMs, 150);
    timers[1].run();
    assert.ok(written[1].startsWith('\x1b[3A\r\x1b[2K00008110-…0001'), JSON.stringify(written[1]));
    assert.ok(written[1].endsWith('\x1b[J'));
    progress.update(shown[1]);
    progress.finish();
    assert.equal(timers[2].cancelled, true);
    assert.equal(written.length, 3, 'finish draws the final state once');
  });

  it('stderr is a terminal only when it says so', () => {
    assert.equal(stderrTerminal({ isTTY: false, columns: 100 }), undefined);
    assert.equal(stderrTerminal({ isTTY: true, columns: 100 })?.columns(), 100);
    assert.equal(stderrTerminal({ isTTY: true })?.columns(), 80);
  });

  it('without a terminal, writes the plain event lines as they come', () => {
    const written: string[] = [];
    const progress = new BenchProgress({ source: { rows, summary: () => summarizeBench(rows) }, note: (t) => written.push(t), lang: 'en' });
    progress.update(rows[1]);
    progress.finish();
    assert.deepEqual(written, ['00008110-0000000000B00002 "Bench iPhone 2": backing up 45 % (812 files, 12 MB)']);
  });
});
