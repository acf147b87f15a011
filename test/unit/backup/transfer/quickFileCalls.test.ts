import assert from 'node:assert/strict';
import { QuickFileCalls } from '../../../../src/backup/transfer/quickFileCalls';

/** A clock the test moves by hand: each synchronous call "takes" the time the test says. */
class HandClock {
  ms = 1_000;
  readonly now = (): number => this.ms;
}

describe('backup transfer: small file calls on the main thread while they are fast', () => {
  it('runs calls on the main thread, and a failure of the synchronous call rejects', async () => {
    const calls = new QuickFileCalls(new HandClock().now);
    const where: string[] = [];
    assert.equal(await calls.run(() => (where.push('main'), 7), async () => (where.push('pool'), 8)), 7);
    await assert.rejects(
      calls.run(() => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      }, async () => 0),
      /EACCES/,
    );
    assert.deepEqual(where, ['main']);
  });

  it('a few slow calls (the scheduler took the core away) keep the main thread; most calls slow send them to the pool', async () => {
    const clock = new HandClock();
    const calls = new QuickFileCalls(clock.now);
    const where: string[] = [];
    const call = (takesMs: number) =>
      calls.run(
        () => {
          clock.ms += takesMs;
          where.push('main');
        },
        async () => {
          where.push('pool');
        },
      );
    // One call in four preempted for 30 ms, for a long while: never falls back.
    for (let i = 0; i < 200; i++) await call(i % 4 === 0 ? 30 : 0.02);
    assert.equal(calls.pooled, false);
    assert.ok(where.every((w) => w === 'main'));
    // A disk that got slow: every call 5 ms.
    let slowOnMain = 0;
    while (!calls.pooled) {
      await call(5);
      slowOnMain++;
      assert.ok(slowOnMain <= 16, 'falls back within the window of recent calls');
    }
    where.length = 0;
    await call(5);
    assert.deepEqual(where, ['pool']);
    // Later the main thread is tried again, and judged afresh.
    clock.ms += 10_001;
    assert.equal(calls.pooled, false);
    await call(5);
    assert.deepEqual(where, ['pool', 'main']);
    assert.equal(calls.pooled, false, 'one slow call after the retry does not fall back at once');
  });
});
