import assert from 'node:assert/strict';
import { BoundedList } from '../../../src/logs/boundedList';

describe('bounded list', () => {
  it('keeps the newest items in order and drops the oldest', () => {
    const list = new BoundedList<number>(3);
    for (let i = 1; i <= 10; i++) list.push(i);
    assert.deepEqual(list.toArray(), [8, 9, 10]);
    assert.equal(list.length, 3);
    const seen: number[] = [];
    list.forEach((n) => seen.push(n));
    assert.deepEqual(seen, [8, 9, 10]);
    list.clear();
    assert.equal(list.length, 0);
  });
  it('refuses a capacity below one', () => {
    assert.throws(() => new BoundedList(0), RangeError);
  });
});
