import * as assert from 'node:assert/strict';
import { forEachConcurrently, mapConcurrently } from '../../../src/common/concurrently';

async function* numbers(count: number, pulled: { value: number }): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    pulled.value++;
    yield i;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('common: work over many items with a few running at once', () => {
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

  it('mapConcurrently keeps the item order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrently([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return `${i}:${n}`;
    });
    assert.deepEqual(results, ['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    assert.equal(peak, 3);
    assert.deepEqual(await mapConcurrently([], 8, async () => 1), []);
  });

  it('mapConcurrently passes on the first failure', async () => {
    await assert.rejects(mapConcurrently([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('no space'); return n; }), /no space/);
  });
});
