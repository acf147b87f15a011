import assert from 'node:assert/strict';
import { ThrottledFlush, type FlushTimers } from '../../../src/deviceLog/throttledFlush';

/** A clock the test moves by hand. */
function fakeTimers() {
  let now = 0;
  let pending: { at: number; run: () => void; id: number } | undefined;
  let ids = 0;
  const timers: FlushTimers = {
    now: () => now,
    setTimeout: (run, ms) => (pending = { at: now + ms, run, id: ++ids }).id,
    clearTimeout: (id) => {
      if (pending?.id === id) pending = undefined;
    },
  };
  const advance = (ms: number) => {
    now += ms;
    if (pending && pending.at <= now) {
      const { run } = pending;
      pending = undefined;
      run();
    }
  };
  return { timers, advance, isPending: () => pending !== undefined };
}

describe('throttled flushing of editor updates', () => {
  it('flushes at once the first time, then at most once per interval', () => {
    const clock = fakeTimers();
    let flushes = 0;
    const flush = new ThrottledFlush(() => flushes++, 250, clock.timers);
    flush.request();
    clock.advance(0);
    assert.equal(flushes, 1);
    for (let i = 0; i < 100; i++) flush.request();
    clock.advance(100);
    assert.equal(flushes, 1, 'no second flush inside the interval');
    clock.advance(150);
    assert.equal(flushes, 2, 'the requests inside the interval flush once at its end');
    clock.advance(1000);
    assert.equal(flushes, 2);
  });
  it('flushes now on demand and stops after dispose', () => {
    const clock = fakeTimers();
    let flushes = 0;
    const flush = new ThrottledFlush(() => flushes++, 250, clock.timers);
    flush.request();
    flush.flushNow();
    assert.equal(flushes, 1);
    assert.equal(clock.isPending(), false);
    flush.dispose();
    flush.request();
    clock.advance(1000);
    assert.equal(flushes, 1);
  });
});
