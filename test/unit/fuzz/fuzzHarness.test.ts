import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { crashReason } from '../../../bench/fuzz/documentedError';
import { runFuzzTarget } from '../../../bench/fuzz/runFuzzTarget';
import { ProtocolError } from '../../../src/common/errors';
import { PlistFormatError } from '../../../src/plist';

/** The harness itself: it must tell a decoder's documented refusal from a crash, also a disguised one. */
describe('fuzz harness', () => {
  it('accepts the product errors a decoder documents', () => {
    assert.equal(crashReason(new ProtocolError('The device sent nonsense.', 'device')), undefined);
    assert.equal(crashReason(new PlistFormatError('The binary property list is malformed: x.')), undefined);
  });

  it('counts built-in errors as crashes, also when wrapped as the cause of a product error', () => {
    assert.match(crashReason(new TypeError("Cannot read properties of undefined (reading 'length')")) ?? '', /TypeError.*escaped/);
    assert.match(crashReason(new PlistFormatError('The XML property list could not be read.', { cause: new RangeError('Invalid array length') })) ?? '', /wraps RangeError/);
    assert.match(crashReason(new Error('plain')) ?? '', /escaped/);
  });

  const runWith = (behaviour: () => Promise<void>) =>
    runFuzzTarget({ name: 'self-test', arbitrary: fc.nat(9), run: behaviour }, { cases: 3, seed: 1, slowCaseMs: 30, hangMs: 100 });

  it('records a crash, a hang and a slow case with its input, and keeps counting after it', async () => {
    const outcomes = [
      [async () => { throw new TypeError('boom'); }, /TypeError: boom/],
      [() => new Promise<void>(() => undefined), /did not finish within 100 ms/],
      [() => new Promise<void>((resolve) => setTimeout(resolve, 60)), /took \d+ ms/],
    ] as const;
    for (const [behaviour, reason] of outcomes) {
      const result = await runWith(behaviour);
      assert.equal(result.cases, 3);
      assert.ok(result.failures >= 3, `${result.failures} failures`);
      assert.match(result.examples[0].reason, reason);
      assert.match(result.examples[0].input, /^\d$/);
    }
  });

  it('records nothing for a decoder that only refuses with its documented errors', async () => {
    const result = await runWith(async () => { throw new ProtocolError('The device sent nonsense.', 'device'); });
    assert.equal(result.failures, 0);
    assert.deepEqual(result.outcomes, [['ProtocolError: The device sent nonsense.', 3]]);
  });
});
