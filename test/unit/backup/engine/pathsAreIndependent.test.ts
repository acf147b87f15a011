import assert from 'node:assert/strict';
import { pathsAreIndependent } from '../../../../src/backup/engine/pathsAreIndependent';

describe('backup engine: which file operations may run side by side', () => {
  it('paths are independent only when none repeats and none lies inside another', () => {
    assert.equal(pathsAreIndependent(['/s/U/a', '/s/U/b', '/s/U/c/d', '/s/U/c/e']), true);
    assert.equal(pathsAreIndependent(['/s/U/a', '/s/U/a']), false, 'the same path twice (a → b, then b → c)');
    assert.equal(pathsAreIndependent(['/s/U/c', '/s/U/c/d']), false, 'a folder and something inside it');
    assert.equal(pathsAreIndependent(['/s/U/c/d/e', '/s/U/c']), false, 'deeper first');
    assert.equal(pathsAreIndependent(['/s/U/cd', '/s/U/c']), true, 'a name that merely starts like another');
    assert.equal(pathsAreIndependent([]), true);
  });
});
