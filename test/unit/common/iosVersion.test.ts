import * as assert from 'node:assert/strict';
import { compareIosVersions, isIosVersion, parseIosVersion } from '../../../src/common/iosVersion';
import { isUsageError } from '../../../src/common/errors';

describe('compat: iOS version comparison', () => {
  it('compares components as numbers, not strings', () => {
    assert.equal(compareIosVersions('16.10', '16.9'), 1);
    assert.equal(compareIosVersions('16.9', '16.10'), -1);
    assert.equal(compareIosVersions('9.3', '10.0'), -1);
    assert.equal(compareIosVersions('17.0.1', '17.0'), 1);
  });

  it('treats missing components as zero', () => {
    assert.equal(compareIosVersions('16.1', '16.1.0'), 0);
    assert.equal(compareIosVersions('16', '16.0.0'), 0);
    assert.equal(compareIosVersions('16.1.0', '16.1'), 0);
  });

  it('orders the document examples', () => {
    assert.equal(compareIosVersions('14.0', '16.1'), -1);
    assert.equal(compareIosVersions('16.1', '14.0'), 1);
  });

  it('parses dotted numbers and rejects anything else', () => {
    assert.deepEqual(parseIosVersion(' 16.1.2 '), [16, 1, 2]);
    assert.equal(parseIosVersion('16.1 beta'), undefined);
    assert.equal(parseIosVersion('16.'), undefined);
    assert.equal(parseIosVersion(''), undefined);
    assert.equal(isIosVersion('17'), true);
    assert.equal(isIosVersion('v17'), false);
  });

  it('refuses to compare a non-version with a usage error', () => {
    assert.throws(() => compareIosVersions('sixteen', '16'), (e: unknown) => isUsageError(e) && /sixteen/.test(e.message));
  });
});
