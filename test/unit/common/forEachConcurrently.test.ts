import * as assert from 'node:assert/strict';
import { forEachConcurrently } from '../../../src/common/forEachConcurrently';

async function* numbers(count: number, pulled: { value: number }): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    pulled.value++;
    yield i;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('backup/verify forEachConcurrently', () => {
  it('handles every item with at most the limit running at once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachConcurrently(numbers(20, { value: 0 }), 4, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await pause(2);
      seen.push(n);
      running--;
    });
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
    assert.equal(peak, 4);
  });

  it('stops pulling items after a failure and rethrows it once the items in flight are done', async () => {
    const pulled = { value: 0 };
    let finished = 0;
    await assert.rejects(
      forEachConcurrently(numbers(1000, pulled), 3, async (n) => {
        await pause(n === 1 ? 1 : 5);
        if (n === 1) throw new Error('boom');
        finished++;
      }),
      /boom/,
    );
    assert.ok(pulled.value < 10, `pulled ${pulled.value} items`);
    const after = finished;
    await pause(20);
    assert.equal(finished, after, 'nothing runs after the rejection');
  });
});
