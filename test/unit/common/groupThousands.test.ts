import * as assert from 'node:assert/strict';
import { groupThousands } from '../../../src/common/byteCount';

describe('common: groupThousands', () => {
  it('writes what toLocaleString("en-US") writes for whole numbers', () => {
    for (const n of [0, 7, 999, 1000, 1234, 99_999, 100_000, 1_234_567, 20_000_000, -1, -1234, Number.MAX_SAFE_INTEGER]) {
      assert.equal(groupThousands(n), n.toLocaleString('en-US'), String(n));
    }
  });

  it('leaves what is not a safe whole number as String() writes it', () => {
    assert.equal(groupThousands(1.5), '1.5');
    assert.equal(groupThousands(Number.NaN), 'NaN');
  });
});
