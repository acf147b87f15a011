import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRowJson } from '../../../src/cli/benchJson';
import { benchScenario } from '../../../src/simulator/benchScenario';
import type { Scenario } from '../../../src/simulator/scenario';
import { runCli, startSimulator, type RunResult, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { waitFor } from './benchWaits';

const DEVICES = 8;
/** The device pulled off the bench mid-batch: one in the middle, so devices on both sides of it run beside it. */
const VICTIM_INDEX = 5;

/**
 * The bench; with `stalled`, the victim's transfer stops once 200 KB went either way and stays open (a trickle
 * stall), so the test finds its backup under way for as long as it needs to pull the cable. `victimAttached` false
 * keeps the victim unplugged.
 */
function bench(stalled: boolean, victimAttached = true): Scenario {
  const scenario = benchScenario({ devices: DEVICES });
  const stall = { trickle: { bytesPerSecond: 50_000_000, stallAfterBytes: 200_000, stallMs: 600_000 } };
  return {
    devices: scenario.devices.map((d, i) => (i + 1 === VICTIM_INDEX ? { ...d, attached: victimAttached, faults: stalled ? stall : d.faults } : d)),
  };
}

function rowsOf(result: RunResult): BenchRowJson[] {
  return JSON.parse(result.stdout) as BenchRowJson[];
}

/** One device detached in the middle of an eight-device batch fails alone, with a sentence; the other seven complete. */
describe('kitting bench: a device detached mid-batch fails alone', function () {
  this.timeout(240_000);
  let h: SimulatorHarness;
  let base: string;
  let root: string;
  const udids = benchScenario({ devices: DEVICES }).devices.map((d) => d.udid);
  const victim = udids[VICTIM_INDEX - 1];
  const backupAll = () => runCli(['backup', '--all', '--jobs', String(DEVICES), '--dir', root, '--json'], h.env, { timeoutMs: 180_000 });
  const verify = (udid: string) => runCli(['verify', path.join(root, udid), '--json'], h.env, { timeoutMs: 60_000 });
  /** The victim's previous backup, file by file (the top-level files and Manifest.db say whether it was touched). */
  const previousBackup = async () => {
    const dir = path.join(root, victim);
    const names = ['Info.plist', 'Manifest.plist', 'Manifest.db', 'Status.plist'];
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await fs.readFile(path.join(dir, n))).toString('base64')] as const)));
  };

  before(async () => {
    h = await startSimulator(bench(false));
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-detach-'));
    root = path.join(base, 'backups');
  });
  after(async () => {
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('a first batch backs up all eight', async () => {
    const first = await backupAll();
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(rowsOf(first).map((r) => [r.udid, r.state]).sort(), udids.map((u) => [u, 'done']));
  });

  it('the second batch: the victim, detached while its backup runs, fails with a sentence, exit 1; the other seven complete; its previous backup is intact and verifies', async () => {
    const before = await previousBackup();
    h.simulator.applyScenario(bench(true));
    const batch = backupAll();
    const device = h.simulator.device(victim);
    assert.ok(device);
    await waitFor(() => device.backupInProgress, () => `the backup of ${victim} under way`, batch);
    assert.equal(h.simulator.control('detach', victim), true);

    const result = await batch;
    assert.equal(result.code, 1, result.stderr);
    const rows = rowsOf(result);
    assert.deepEqual(rows.map((r) => [r.udid, r.state]).sort(), udids.map((u) => [u, u === victim ? 'failed' : 'done']));
    const failed = rows.find((r) => r.udid === victim);
    assert.ok(failed?.failure);
    assert.match(failed.failure.sentence, /^The device disconnected during the backup; check the cable and try again\.$/);
    assert.match(result.stderr, new RegExp(`^${victim} "Bench iPhone ${VICTIM_INDEX}": failed: `, 'm'));
    for (const other of udids.filter((u) => u !== victim)) {
      assert.doesNotMatch(result.stderr, new RegExp(`^${other} .*: failed`, 'm'), `${other} is not disturbed`);
    }

    // Every device has one complete backup (the folder check), the victim its previous one, byte for byte as it was
    // and checking out file by file.
    const listed = await runCli(['backups', '--dir', root, '--json'], h.env);
    assert.equal(listed.code, 0, listed.stderr);
    const complete = (JSON.parse(listed.stdout) as Array<{ udid: string; complete: boolean }>).filter((b) => b.complete).map((b) => b.udid);
    assert.deepEqual(complete.sort(), udids);
    assert.deepEqual(await previousBackup(), before, 'the victim\'s previous backup is untouched');
    const checked = await verify(victim);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
  });

  it('plugged back in (and its link mended), the victim backs up again', async () => {
    h.simulator.applyScenario(bench(false, false));
    assert.equal(h.simulator.attached().some((d) => d.udid === victim), false, 'still unplugged');
    assert.equal(h.simulator.control('attach', victim), true);
    const again = await runCli(['backup', victim, '--dir', root], h.env, { timeoutMs: 120_000 });
    assert.equal(again.code, 0, again.stderr);
    const checked = await verify(victim);
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
  });
});
