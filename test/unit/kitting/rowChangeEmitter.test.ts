import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/common/logger';
import type { BenchRow } from '../../../src/kitting/benchRow';
import { RowChangeEmitter } from '../../../src/kitting/rowChangeEmitter';

const base: BenchRow = { id: 'row-1', operation: 'backup', device: { udid: 'U' }, state: 'backing-up', attempt: 1 };

describe('kitting: row change events', () => {
  it('a state change goes out at once; progress within the interval is held and then sent once, as the latest row', async () => {
    let clock = 1000;
    const emitter = new RowChangeEmitter(silentLogger, 5, () => clock);
    const sent: BenchRow[] = [];
    let heldSent: () => void = () => undefined;
    emitter.subscribe((row) => {
      sent.push(row);
      heldSent();
    });
    emitter.changed(base);
    assert.equal(sent.length, 1);
    const held = new Promise<void>((resolve) => (heldSent = resolve));
    for (let percent = 1; percent <= 50; percent++) emitter.changed({ ...base, percent });
    assert.equal(sent.length, 1, 'held back');
    await held;
    assert.equal(sent.length, 2);
    assert.equal(sent[1].percent, 50, 'the latest row, once');
    clock += 10;
    emitter.changed({ ...base, percent: 60 });
    assert.equal(sent.length, 3, 'after the interval, progress goes out at once');
    emitter.changed({ ...base, state: 'done', percent: 100 });
    assert.equal(sent.length, 4, 'a state change is never held');
    emitter.dispose();
  });

  it('a state change sent while progress is held replaces it (no stale row after the new state)', async () => {
    const clock = 1000;
    const emitter = new RowChangeEmitter(silentLogger, 1, () => clock);
    const sent: BenchRow[] = [];
    emitter.subscribe((row) => sent.push(row));
    emitter.changed(base);
    emitter.changed({ ...base, percent: 10 });
    emitter.changed({ ...base, state: 'failed' });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(sent.map((r) => r.state), ['backing-up', 'failed']);
    emitter.dispose();
  });
});
