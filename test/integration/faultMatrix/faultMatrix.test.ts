import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { FAULT_CASES } from './faultCases';
import { assertBackupIntact, assertOutcome, matrixScenario, scenarioFor, SOURCE, TARGET, waitForRestart } from './faultMatrixHarness';
import { REPO_ROOT } from '../../helpers/simulatorHarness';

/**
 * The fault matrix through the real CLI against the in-process simulator: the link dropped before
 * and after every DeviceLink message of a backup and of a restore. Each case ends as the table says,
 * the last good backup still lists and extracts byte for byte as the device holds it, and the same
 * command without the fault then completes.
 */
describe('fault matrix: dropped links through the CLI', function () {
  this.timeout(600_000);
  let h: SimulatorHarness;
  let base: string;
  let root: string;

  const backup = (...extra: string[]) => runCli(['backup', SOURCE, '--dir', root, ...extra], h.env, { timeoutMs: 60_000 });
  const restore = (...extra: string[]) =>
    runCli(['restore', TARGET, '--from', path.join(root, SOURCE), '--ade-restore-allowed', 'yes', ...extra], h.env, { timeoutMs: 60_000 });
  const sourceDataset = () => h.simulator.device(SOURCE)!.currentContent();
  const targetDigest = () => h.simulator.device(TARGET)!.restored.summary(h.simulator.device(TARGET)!.spec.dataset).digest;
  const sourceDigest = () => h.simulator.device(SOURCE)!.restored.summary(h.simulator.device(SOURCE)!.spec.dataset).digest;

  before(async () => {
    h = await startSimulator(matrixScenario());
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-fault-matrix-'));
    root = path.join(base, 'root');
    const first = await backup();
    assert.equal(first.code, 0, first.stderr);
  });
  after(async () => {
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  for (const fault of FAULT_CASES.filter((c) => c.setup === undefined && c.operation === 'backup')) {
    it(fault.id, async () => {
      h.simulator.applyScenario(scenarioFor(fault));
      const result = await backup('--full');
      h.simulator.applyScenario(matrixScenario());
      assertOutcome(fault, result);
      if (fault.outcome.kind === 'fails') assert.match(result.stderr, new RegExp(`^The previous backup in .*${SOURCE} is intact\\.$`, 'm'));
      await assertBackupIntact(h, root, base, sourceDataset());
      const rerun = await backup();
      assert.equal(rerun.code, 0, `the rerun completes: ${rerun.stderr}`);
    });
  }

  for (const fault of FAULT_CASES.filter((c) => c.setup === undefined && c.operation === 'restore')) {
    it(fault.id, async () => {
      h.simulator.applyScenario(scenarioFor(fault));
      const result = await restore();
      h.simulator.applyScenario(matrixScenario());
      assertOutcome(fault, result);
      // The restore only reads the backup folder.
      await assertBackupIntact(h, root, base, sourceDataset());
      await waitForRestart(h, TARGET);
      const rerun = await restore('--system', '--remove-items-not-restored');
      assert.equal(rerun.code, 0, `the rerun completes: ${rerun.stderr}`);
      await waitForRestart(h, TARGET);
      assert.equal(targetDigest(), sourceDigest(), 'after the rerun the target holds what the source held');
    });
  }

  it('docs/fault-matrix.md lists exactly the cases of the matrix', async () => {
    const doc = await fs.readFile(path.join(REPO_ROOT, 'docs', 'fault-matrix.md'), 'utf8');
    const rows = doc
      .split('\n')
      .filter((line) => /^\| (backup|restore): /.test(line))
      .map((line) => line.split('|')[1].trim());
    assert.deepEqual([...rows].sort(), FAULT_CASES.map((c) => c.id).sort());
  });
});
