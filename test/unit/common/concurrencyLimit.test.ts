import assert from 'node:assert/strict';
import { ConcurrencyLimit } from '../../../src/common/concurrencyLimit';

/** A promise with its resolve function, to hold a task open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('common: concurrency limit', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in order', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    let peak = 0;
    const runs = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        peak = Math.max(peak, limit.active);
        await g.promise;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1]);
    gates[1].open();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1, 2]);
    for (const g of gates) g.open();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
    assert.equal(peak, 2);
    assert.equal(limit.active, 0);
  });

  it('frees the slot when a task fails', async () => {
    const limit = new ConcurrencyLimit(1);
    await assert.rejects(limit.run(() => Promise.reject(new Error('broken'))), /broken/);
    assert.equal(await limit.run(() => Promise.resolve('next')), 'next');
  });

  it('does not start a waiting task whose signal aborts, and it gives up its place', async () => {
    const limit = new ConcurrencyLimit(1);
    const hold = gate();
    const first = limit.run(() => hold.promise);
    const controller = new AbortController();
    let ran = false;
    const abandoned = limit.run(async () => {
      ran = true;
    }, controller.signal);
    const third = limit.run(() => Promise.resolve('third'));
    controller.abort(new Error('no longer wanted'));
    await assert.rejects(abandoned, /no longer wanted/);
    hold.open();
    await first;
    assert.equal(await third, 'third');
    assert.equal(ran, false);
  });

  it('refuses a limit below one', () => {
    assert.throws(() => new ConcurrencyLimit(0), RangeError);
  });
});
