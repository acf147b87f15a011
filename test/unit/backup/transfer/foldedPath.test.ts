import assert from 'node:assert/strict';
import { foldedPathKey, isSameOrInsideFolded } from '../../../../src/backup/transfer/foldedPath';
import { pathsAreIndependent } from '../../../../src/backup/engine/pathsAreIndependent';

// "é" composed (NFC, as Linux and APFS usually store it) and decomposed (NFD, as HFS+ stores it).
const E_NFC = '\u00e9';
const E_NFD = 'e\u0301';

describe('folded path comparison', () => {
  it('gives names a case-insensitive, normalising file system treats as one the same key', () => {
    assert.equal(foldedPathKey('/s/U/Ab'), foldedPathKey('/s/u/aB'));
    assert.equal(foldedPathKey(`/s/caf${E_NFC}`), foldedPathKey(`/s/CAF${E_NFD}`));
    assert.equal(foldedPathKey('/s/\u03c3'), foldedPathKey('/s/\u03c2'), 'medial and final sigma');
    assert.notEqual(foldedPathKey('/s/a'), foldedPathKey('/s/b'));
  });

  it('moves on names that differ only in case or normalisation are not independent', () => {
    assert.equal(pathsAreIndependent(['/s/U/a', '/s/U/A']), false, '"a" and "A" are one file on macOS and Windows');
    assert.equal(pathsAreIndependent([`/s/U/${E_NFC}`, `/s/U/${E_NFD}`]), false, 'NFC and NFD name one file on macOS');
    assert.equal(pathsAreIndependent(['/s/U/Dir', '/s/U/dir/file']), false, 'a folder and, in other case, something inside it');
    assert.equal(pathsAreIndependent(['/s/U/a', '/s/U/b']), true);
  });

  it('a copy destination in the source folder under another case or normalisation counts as inside', () => {
    assert.equal(isSameOrInsideFolded('/s/U/Folder', '/s/U/folder/copy'), true);
    assert.equal(isSameOrInsideFolded('/s/U/a', '/s/U/A'), true, 'the same entry');
    assert.equal(isSameOrInsideFolded(`/s/U/${E_NFD}`, `/s/U/${E_NFC}/x`), true);
    assert.equal(isSameOrInsideFolded('/s/U/a', '/s/U/ab'), false, 'a name that merely starts like another');
    assert.equal(isSameOrInsideFolded('/s/U/a/b', '/s/U/a'), false, 'the parent is not inside');
  });
});
