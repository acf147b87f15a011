import assert from 'node:assert/strict';
import { BoundedList } from '../../../src/common/boundedList';

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
    assert.throws(() => new BoundedList<string>(3, { maxBytes: 0, sizeOf: (s) => s.length }), RangeError);
  });
  it('with a byte budget, drops the oldest items until the newest fit', () => {
    const list = new BoundedList<string>(100, { maxBytes: 10, sizeOf: (s) => s.length });
    assert.equal(list.push('aaaa'), 0);
    assert.equal(list.push('bbbb'), 0);
    assert.equal(list.byteSize, 8);
    assert.equal(list.push('ccccccc'), 2, 'both older items go to make room');
    assert.deepEqual(list.toArray(), ['ccccccc']);
    assert.equal(list.push('dd'), 0);
    assert.equal(list.push('e'), 0);
    assert.deepEqual(list.toArray(), ['ccccccc', 'dd', 'e']);
    assert.equal(list.byteSize, 10);
    for (let i = 0; i < 1_000; i++) list.push(String(i % 10));
    assert.deepEqual(list.toArray(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(list.byteSize, 10);
  });
  it('does not keep an item larger than the whole budget, and keeps the rest', () => {
    const list = new BoundedList<string>(100, { maxBytes: 4, sizeOf: (s) => s.length });
    list.push('ab');
    assert.equal(list.push('toolarge'), 1);
    assert.deepEqual(list.toArray(), ['ab']);
    assert.equal(list.byteSize, 2);
    list.clear();
    assert.equal(list.byteSize, 0);
  });
});
