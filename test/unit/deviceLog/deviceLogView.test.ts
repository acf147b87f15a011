import assert from 'node:assert/strict';
import { DEFAULT_HISTORY_BYTES, DEFAULT_VISIBLE_BYTES, DeviceLogView } from '../../../src/deviceLog/deviceLogView';
import { createLogFilter } from '../../../src/deviceLog/logFilter';
import type { DeviceLogEntry } from '../../../src/services/syslog/syslogRecord';

const record = (process: string, message: string, level = 'Notice'): DeviceLogEntry => ({ kind: 'record', time: 'Nov 23 18:00:00', device: 'iPhone', process, pid: 1, level, message });
const lines = (view: DeviceLogView) => view.text().split('\n').filter(Boolean);

describe('the editor-side device log model', () => {
  it('shows arriving lines and reports when the text changed', () => {
    const view = new DeviceLogView();
    assert.equal(view.text(), '');
    assert.equal(view.append([record('a', 'one'), record('b', 'two')]), true);
    assert.deepEqual(lines(view), ['Nov 23 18:00:00 iPhone a[1] <Notice>: one', 'Nov 23 18:00:00 iPhone b[1] <Notice>: two']);
  });
  it('re-filters what it kept when the filter changes while streaming', () => {
    const view = new DeviceLogView();
    view.append([record('a', 'one'), record('BackupAgent2', 'two'), record('c', 'three')]);
    view.setFilter(createLogFilter({ process: 'BackupAgent2' }));
    assert.deepEqual(lines(view), ['Nov 23 18:00:00 iPhone BackupAgent2[1] <Notice>: two']);
    assert.equal(view.append([record('a', 'hidden')]), false, 'a filtered-out line does not change the text');
    view.append([record('BackupAgent2', 'four')]);
    assert.equal(lines(view).length, 2);
    view.setFilter(createLogFilter({}));
    assert.equal(lines(view).length, 5);
  });
  it('freezes while paused and shows what arrived meanwhile on resume', () => {
    const view = new DeviceLogView();
    view.append([record('a', 'one')]);
    view.pause();
    assert.equal(view.append([record('a', 'two')]), false);
    assert.deepEqual(lines(view), ['Nov 23 18:00:00 iPhone a[1] <Notice>: one']);
    assert.equal(view.stats().received, 2);
    view.resume();
    assert.equal(lines(view).length, 2);
  });
  it('keeps only the newest lines in the document and the newest entries in history', () => {
    const view = new DeviceLogView({ historyLimit: 50, visibleLimit: 10 });
    for (let i = 0; i < 100; i++) view.append([record('p', `n${i}`)]);
    assert.equal(lines(view).length, 10);
    assert.match(lines(view)[9], /n99$/);
    assert.deepEqual({ ...view.stats(), keptBytes: 0 }, { received: 100, kept: 50, keptBytes: 0, shown: 10, paused: false });
    assert.equal(view.matchingText().split('\n').filter(Boolean).length, 50, 'saving writes every kept matching entry');
  });
  it('caps the history and the document by bytes, keeping the newest entries', function () {
    this.timeout(30_000);
    // 16 KiB messages, the most a record carries: by count alone 100,000 of them (over 3 GB as UTF-16) would be kept.
    const big = 'x'.repeat(16 * 1024);
    const view = new DeviceLogView();
    const total = 3_000;
    for (let i = 0; i < total; i++) view.append([record('p', `n${i} ${big}`)]);
    const stats = view.stats();
    assert.equal(stats.received, total);
    assert.ok(stats.keptBytes <= DEFAULT_HISTORY_BYTES, `${stats.keptBytes} bytes kept`);
    assert.ok(stats.kept > 0 && stats.kept < total, `${stats.kept} entries kept`);
    // Counted independently of the view's own bookkeeping: each kept line and its message as UTF-16.
    const kept = view.matchingText().split('\n').filter(Boolean);
    assert.equal(kept.length, stats.kept);
    const keptBytes = kept.reduce((sum, line) => sum + line.length * 2 + (line.length - line.indexOf(': ') - 2) * 2, 0);
    assert.equal(keptBytes, stats.keptBytes);
    assert.ok(DEFAULT_HISTORY_BYTES - keptBytes < 4 * (big.length + 100), 'the budget is used, not only the oldest dropped');
    // The newest entries, contiguous up to the last one.
    kept.forEach((line, index) => assert.ok(line.includes(`<Notice>: n${total - kept.length + index} `), line.slice(0, 60)));
    const shown = lines(view);
    assert.ok(view.text().length * 2 <= DEFAULT_VISIBLE_BYTES, `${view.text().length} characters shown`);
    assert.ok(shown[shown.length - 1].includes(`n${total - 1} `));
  });
  it('adds notes after the records, also while paused', () => {
    const view = new DeviceLogView();
    view.append([record('a', 'one')]);
    view.pause();
    view.addNote('--- stream ended ---');
    assert.deepEqual(lines(view), ['Nov 23 18:00:00 iPhone a[1] <Notice>: one', '--- stream ended ---']);
    assert.match(view.matchingText(), /--- stream ended ---\n$/);
  });
});
