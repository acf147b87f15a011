import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from '../../../src/cli/args';
import { simulateCommand } from '../../../src/cli/commands/simulate';
import { isUsageError } from '../../../src/common/errors';
import { silentLogger } from '../../../src/common/logger';

/** Runs `simulate` in-process with Ctrl-C already pressed: it starts, lists its devices on stderr and stops. */
async function simulateAndStop(words: string[]): Promise<string[]> {
  const notes: string[] = [];
  const stop = new AbortController();
  stop.abort();
  const args = parseArgs(words, simulateCommand.flags);
  const code = await simulateCommand.run({
    args, json: false, env: {}, stdin: Readable.from([]), logger: silentLogger, signal: stop.signal,
    out: () => undefined,
    note: (text) => notes.push(text),
  });
  assert.equal(code, 0);
  return notes;
}

describe('simulate --bench', function () {
  this.timeout(60_000);
  let stateDir: string;
  beforeEach(() => (stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-simulate-bench-'))));
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('--bench 4 --bench-faults serves the source and three replacements', async () => {
    const notes = await simulateAndStop(['--listen', '127.0.0.1:0', '--state-dir', stateDir, '--bench', '4', '--bench-faults']);
    const devices = notes.filter((n) => n.includes('Bench iPhone'));
    assert.deepEqual(devices.map((n) => n.trim().split(/\s+/)[0]), ['00008110-0000000000B00001', '00008110-0000000000B00002', '00008110-0000000000B00003', '00008110-0000000000B00004']);
    assert.match(devices[0], /Bench iPhone 1 \(iPhone14,5, iOS 16\.1\)/);
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ['one device', ['--bench', '1'], /^--bench must be a number of devices from 2 to 32 \(got "1"\)\.$/],
    ['33 devices', ['--bench', '33'], /from 2 to 32 \(got "33"\)/],
    ['not a number', ['--bench', 'eight'], /from 2 to 32 \(got "eight"\)/],
    ['faults on a bench too small for them', ['--bench', '3', '--bench-faults'], /at least 4 devices/],
    ['faults without a bench', ['--bench-faults'], /^--bench-faults goes with --bench <N>\.$/],
    ['a scenario file as well', ['--bench', '4', '--scenario', 'scenario.json'], /^--bench cannot be combined with --scenario\.$/],
  ];
  for (const [what, words, message] of refusals) {
    it(`refuses ${what} with a usage error`, async () => {
      await assert.rejects(simulateAndStop(['--listen', '127.0.0.1:0', '--state-dir', stateDir, ...words]), (e) => isUsageError(e) && message.test(e.message));
    });
  }
});
