import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRowJson } from '../../../src/cli/benchJson';
import { benchScenario } from '../../../src/simulator/benchScenario';
import { PASSCODE_PROMPT_NOTIFICATION } from '../../../src/simulator/backup/passcodePrompt';
import type { Scenario } from '../../../src/simulator/scenario';
import { assertSameBackup } from '../../helpers/backupComparison';
import { run, runCli, skipWithoutTools, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { waitFor } from './benchWaits';

const DEVICES = 8;

/** The bench, each device with a passcode that nobody types unless the test does (SimulatorControl enter-passcode). */
function benchHeldAtPasscode(held: boolean): Scenario {
  const bench = benchScenario({ devices: DEVICES });
  if (!held) return bench;
  return { devices: bench.devices.map((d) => ({ ...d, passcode: { set: true, enteredAfterMs: null, timeoutMs: 600_000 } })) };
}

/** Eight simulated devices backed up at once by one CLI process, each backup the same as idevicebackup2's of that device. */
describe('kitting bench: eight devices backed up concurrently by one CLI process', function () {
  this.timeout(300_000);
  let h: SimulatorHarness;
  let base: string;
  const udids = benchScenario({ devices: DEVICES }).devices.map((d) => d.udid);

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2');
    h = await startSimulator(benchHeldAtPasscode(true));
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-8-'));
  });
  after(async () => {
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('backup --all --jobs 8 --full: all eight in flight at once, all done, each byte-identical to idevicebackup2 --full of the same device', async () => {
    const ours = path.join(base, 'ours');
    const batch = runCli(['backup', '--all', '--jobs', String(DEVICES), '--full', '--dir', ours, '--json'], h.env, { timeoutMs: 240_000 });

    // Every device holds its backup at the passcode prompt until the test types it: eight prompts on screen at the
    // same moment prove eight backups running at once in the one process, whatever the machine's speed.
    const prompting = () => udids.filter((u) => h.simulator.device(u)?.notifications.posted.includes(PASSCODE_PROMPT_NOTIFICATION.presented));
    await waitFor(() => prompting().length === DEVICES, () => `all ${DEVICES} devices at the passcode prompt (so far: ${prompting().join(', ')})`, batch);
    for (const udid of udids) assert.equal(h.simulator.control('enter-passcode', udid), true, udid);

    const result = await batch;
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as BenchRowJson[];
    assert.deepEqual(rows.map((r) => [r.udid, r.operation, r.state, r.failure]).sort(), udids.map((u) => [u, 'backup', 'done', null]));
    for (const row of rows) assert.equal(row.backupDir, path.join(ours, row.udid));
    // The non-TTY progress: one plain line per event, each naming its device.
    for (const udid of udids) assert.match(result.stderr, new RegExp(`^${udid} "Bench iPhone \\d+": waiting for the passcode`, 'm'));

    // idevicebackup2, one process per device, all started together (no passcode prompt this time).
    h.simulator.applyScenario(benchHeldAtPasscode(false));
    const lidRoot = path.join(base, 'idevicebackup2');
    await fs.mkdir(lidRoot);
    const lid = await Promise.all(udids.map((udid) => run('idevicebackup2', ['-u', udid, 'backup', '--full', lidRoot], h.env, { timeoutMs: 240_000 })));
    lid.forEach((r, i) => assert.equal(r.code, 0, `idevicebackup2 of ${udids[i]} failed: ${r.stdout}\n${r.stderr}`));

    for (const udid of udids) {
      const identical = await assertSameBackup(path.join(ours, udid), path.join(lidRoot, udid));
      const dataset = h.simulator.device(udid)?.spec.dataset;
      assert.ok(dataset && identical > dataset.files, `${udid}: ${identical} files compared byte for byte (Manifest.db and every hashed file)`);
    }
  });
});
