import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRowJson } from '../../../src/cli/benchJson';
import {
  BENCH_DROP_LINK_INDEX, BENCH_FIND_MY_INDEX, BENCH_PASSCODE_INDEX, BENCH_SOURCE_INDEX, benchScenario, benchUdid,
} from '../../../src/simulator/benchScenario';
import { hasTool, run, runCli, startSimulator, type RunResult, type SimulatorHarness } from '../../helpers/simulatorHarness';

const DEVICES = 5;
const SOURCE = benchUdid(BENCH_SOURCE_INDEX);
const PASSCODE = benchUdid(BENCH_PASSCODE_INDEX);
const DROPS = benchUdid(BENCH_DROP_LINK_INDEX);
const FIND_MY = benchUdid(BENCH_FIND_MY_INDEX);
const PLAIN = benchUdid(5);

function states(result: RunResult): Array<[string, string]> {
  return (JSON.parse(result.stdout) as BenchRowJson[]).map((r) => [r.udid, r.state]);
}

function failureOf(result: RunResult, udid: string): string {
  const row = (JSON.parse(result.stdout) as BenchRowJson[]).find((r) => r.udid === udid);
  assert.ok(row?.failure, `${udid} has a failure`);
  return row.failure.sentence;
}

/** The faulty bench (`simulate --bench N --bench-faults`) through a backup batch and a restore batch: each fault stays on its own device. */
describe('kitting bench: the simulator\'s bench faults, one device each', function () {
  this.timeout(240_000);
  let h: SimulatorHarness;
  let root: string;

  before(async () => {
    h = await startSimulator(benchScenario({ devices: DEVICES, faults: true }));
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-faults-'));
  });
  after(async () => {
    await h?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('libimobiledevice reads SetupDone: the source is set up, the replacements are in Setup Assistant', async function () {
    if (!hasTool('ideviceinfo')) this.skip();
    for (const [udid, expected] of [[SOURCE, 'true'], [PASSCODE, 'false']]) {
      const r = await run('ideviceinfo', ['-u', udid, '-q', 'com.apple.purplebuddy', '-k', 'SetupDone'], h.env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), expected, udid);
    }
  });

  it('backup --all: the passcode device waits for it and completes, the link drops on its own device only, Find My does not stop a backup', async () => {
    const result = await runCli(['backup', '--all', '--jobs', String(DEVICES), '--dir', root, '--json'], h.env, { timeoutMs: 180_000 });
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(states(result), [[SOURCE, 'done'], [PASSCODE, 'done'], [DROPS, 'failed'], [FIND_MY, 'done'], [PLAIN, 'done']]);
    assert.match(failureOf(result, DROPS), /^The device disconnected during the backup; check the cable and try again\.$/);
    assert.match(result.stderr, new RegExp(`^${PASSCODE} "Bench iPhone ${BENCH_PASSCODE_INDEX}": waiting for the passcode`, 'm'));
  });

  it('restore of the source\'s backup to the four replacements: passcode waited for, link drop fails its device, Find My refused, the last one restored', async () => {
    const result = await runCli(
      ['restore', '--from', path.join(root, SOURCE), '--to', PASSCODE, DROPS, FIND_MY, PLAIN, '--jobs', '4', '--ade-restore-allowed', 'yes', '--json'],
      h.env,
      { timeoutMs: 180_000 },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(states(result), [[PASSCODE, 'done'], [DROPS, 'failed'], [FIND_MY, 'refused'], [PLAIN, 'done']]);
    assert.match(failureOf(result, DROPS), /^The connection to the device broke during the restore, so it may be only partly restored/);
    assert.match(failureOf(result, FIND_MY), /Find My/);
    assert.equal(h.simulator.device(DROPS)?.restored.hasPendingRestore, false, 'the dropped restore left nothing staged');
  });
});
