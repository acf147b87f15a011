import assert from 'node:assert/strict';
import { runFuzzTarget } from '../../../bench/fuzz/runFuzzTarget';
import { FUZZ_TARGETS } from '../../../bench/fuzz/targets';

/** The seed of the slice; `npm run fuzz -- --seed 20261206 --cases 2000 --target <name>` reproduces a failure here. */
const SLICE_SEED = 20261206;
const SLICE_CASES = 2000;

/**
 * A fixed-seed slice of `npm run fuzz` (about 2,000 cases per decoder, fewer for the slow ones): every
 * decoder that reads the wire or a file meets mutated real samples and random structure without a crash,
 * a hang or a case over a second. The full runs and their figures are in bench/fuzz-results.md.
 */
describe('fuzzing slice (fixed seed)', function () {
  this.timeout(120_000);
  for (const entry of FUZZ_TARGETS) {
    it(`${entry.name}: no crash, hang or slow case`, async () => {
      const target = await entry.create();
      try {
        const result = await runFuzzTarget(target, { cases: target.sliceCases ?? SLICE_CASES, seed: SLICE_SEED });
        assert.deepEqual(result.examples.map((f) => `case ${f.caseNumber}: ${f.reason}; input ${f.input}`), []);
        assert.equal(result.failures, 0);
      } finally {
        await target.close?.();
      }
    });
  }
});
