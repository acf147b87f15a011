import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { BACKUP_HOST_DRIVE_FULL, FAULT_CASES } from './faultCases';
import { assertBackupIntact, assertOutcome, matrixScenario, scenarioFor, SOURCE } from './faultMatrixHarness';

/** Big enough for the device's own free-space margin (128 MiB beyond the upload); tmpfs takes memory only as it fills. */
const TMPFS_MIB = 140;

/** Free bytes of the volume holding `dir`. */
async function freeBytes(dir: string): Promise<number> {
  const stats = await fs.statfs(dir);
  return stats.bavail * stats.bsize;
}

/**
 * The host disk fills up: the backup root is a small tmpfs (mounting needs root; the case is
 * skipped where mount is not permitted). A filler file leaves only a little room, then the backup
 * runs through the CLI; the last good backup must survive whole and a rerun with room completes.
 */
describe('fault matrix: the host disk fills up (tmpfs)', function () {
  this.timeout(300_000);
  let h: SimulatorHarness | undefined;
  let base: string;
  let mountPoint: string;
  let mounted = false;

  before(async function () {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-full-disk-'));
    mountPoint = path.join(base, 'disk');
    await fs.mkdir(mountPoint);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MIB}m`, 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mount.status !== 0) {
      await fs.rm(base, { recursive: true, force: true });
      this.skip();
    }
    mounted = true;
    h = await startSimulator(matrixScenario());
    const first = await runCli(['backup', SOURCE, '--dir', path.join(mountPoint, 'root')], h.env, { timeoutMs: 60_000 });
    assert.equal(first.code, 0, first.stderr);
  });
  afterEach(async () => {
    if (mounted) await fs.rm(path.join(mountPoint, 'filler'), { force: true });
  });
  after(async () => {
    await h?.stop();
    if (mounted) spawnSync('umount', [mountPoint]);
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  for (const fault of FAULT_CASES.filter((c) => c.setup === 'tmpfs')) {
    it(fault.id, async () => {
      const sim = h!;
      const root = path.join(mountPoint, 'root');
      const filler = path.join(mountPoint, 'filler');
      const fill = spawnSync('fallocate', ['-l', String((await freeBytes(mountPoint)) - (fault.hostFreeBytes ?? 0)), filler]);
      assert.equal(fill.status, 0, 'the filler takes the free space');
      assert.ok((await freeBytes(mountPoint)) <= (fault.hostFreeBytes ?? 0) + 4096);

      sim.simulator.applyScenario(scenarioFor(fault));
      const result = await runCli(['backup', SOURCE, '--dir', root, '--full'], sim.env, { timeoutMs: 60_000 });
      sim.simulator.applyScenario(matrixScenario());
      assertOutcome(fault, result);
      assert.match(result.stderr, new RegExp(`^The previous backup in .*${SOURCE} is intact\\.$`, 'm'));
      const writeWarnings = result.stderr.split('\n').filter((line) => /cannot save a file the device sent step=write/.test(line));
      assert.ok(writeWarnings.length <= 1, `one warning for a full disk, not one per file:\n${writeWarnings.join('\n')}`);
      // The failure doctor explains this computer's full disk, not a device problem.
      if (fault.outcome.kind === 'fails' && fault.outcome.sentence === BACKUP_HOST_DRIVE_FULL) assert.match(result.stderr, /^ {2}More: iosbr explain dl-file-enospc$/m);
      await assertBackupIntact(sim, root, base, sim.simulator.device(SOURCE)!.currentContent());

      await fs.rm(filler);
      const rerun = await runCli(['backup', SOURCE, '--dir', root], sim.env, { timeoutMs: 60_000 });
      assert.equal(rerun.code, 0, `with room again the rerun completes: ${rerun.stderr}`);
    });
  }
});
