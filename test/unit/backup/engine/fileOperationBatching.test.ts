import assert from 'node:assert/strict';
import { mapLimited } from '../../../../src/common/mapLimited';
import { pathsAreIndependent } from '../../../../src/backup/engine/pathsAreIndependent';

describe('backup engine: running file operations side by side', () => {
  it('mapLimited keeps the item order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimited([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return `${i}:${n}`;
    });
    assert.deepEqual(results, ['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    assert.equal(peak, 3);
    assert.deepEqual(await mapLimited([], 8, async () => 1), []);
  });

  it('mapLimited passes on the first failure', async () => {
    await assert.rejects(mapLimited([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('no space'); return n; }), /no space/);
  });

  it('paths are independent only when none repeats and none lies inside another', () => {
    assert.equal(pathsAreIndependent(['/s/U/a', '/s/U/b', '/s/U/c/d', '/s/U/c/e']), true);
    assert.equal(pathsAreIndependent(['/s/U/a', '/s/U/a']), false, 'the same path twice (a → b, then b → c)');
    assert.equal(pathsAreIndependent(['/s/U/c', '/s/U/c/d']), false, 'a folder and something inside it');
    assert.equal(pathsAreIndependent(['/s/U/c/d/e', '/s/U/c']), false, 'deeper first');
    assert.equal(pathsAreIndependent(['/s/U/cd', '/s/U/c']), true, 'a name that merely starts like another');
    assert.equal(pathsAreIndependent([]), true);
  });
});
