import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRowJson } from '../../../src/cli/benchJson';
import { benchName, benchScenario, benchUdid } from '../../../src/simulator/benchScenario';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const [SOURCE, A, B, C] = [1, 2, 3, 4].map(benchUdid);

/** `restore --from D --to …` and `--all`: one backup of the bench's source iPhone restored to its replacements at once. */
describe('restore CLI, batch forms (kitting bench)', function () {
  this.timeout(300_000);
  let harness: SimulatorHarness;
  let base: string;
  let backupDir: string;
  let env: NodeJS.ProcessEnv;

  const restore = (...words: string[]) => runCli(['restore', '--from', backupDir, ...words], env, { timeoutMs: 240_000 });
  const digest = (udid: string): string => {
    const device = harness.simulator.device(udid);
    assert.ok(device, udid);
    return device.restored.summary(device.spec.dataset).digest;
  };

  before(async () => {
    harness = await startSimulator(benchScenario({ devices: 4, files: 30, totalBytes: 150_000 }));
    env = { ...harness.env };
    delete env.IOSBR_PASSWORD;
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-restore-it-'));
    const backup = await runCli(['backup', SOURCE, '--dir', base], env, { timeoutMs: 120_000 });
    assert.equal(backup.code, 0, backup.stderr);
    backupDir = path.join(base, SOURCE);
  });
  after(async () => {
    await harness?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('--to A B --json: both checked and restored, each with its checks and its next steps; nothing else on stdout', async () => {
    const before = digest(A);
    const result = await restore('--to', A, B, '--system', '--remove-items-not-restored', '--ade-restore-allowed', 'yes', '--json');
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as BenchRowJson[];
    assert.deepEqual(rows.map((r) => [r.udid, r.operation, r.state]), [
      [A, 'restore', 'done'],
      [B, 'restore', 'done'],
    ]);
    for (const row of rows) {
      assert.equal(row.backupDir, backupDir);
      assert.ok(row.checks && row.checks.length > 0 && row.checks.every((c) => c.status !== 'fail'), JSON.stringify(row.checks));
      assert.ok(row.nextSteps?.some((step) => /Remote Management screen appears/.test(step)), JSON.stringify(row.nextSteps));
      assert.equal(row.failure, null);
      assert.match(result.stderr, new RegExp(`^${row.udid} "${benchName(rows.indexOf(row) + 2)}": restoring \\d+ %`, 'm'));
    }
    assert.notEqual(digest(A), before);
    assert.equal(digest(A), digest(SOURCE));
    assert.equal(digest(B), digest(SOURCE));
  });

  it('--all leaves out the backup\'s own device with a note, restores the rest, and prints the table and each device\'s next steps', async () => {
    const result = await restore('--all', '--no-reboot', '--ade-restore-allowed', 'yes');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`^Left out ${SOURCE}: it is the device this backup was made from, .+ name it with --to\\.$`, 'm'));
    assert.doesNotMatch(result.stdout, new RegExp(SOURCE));
    for (const udid of [A, B, C]) {
      assert.match(result.stdout, new RegExp(`\\(${udid}\\)\\s+iPhone 13\\s+\\S+\\s+17\\.2\\s+Restore\\s+Done\\s`, 'm'));
      assert.match(result.stdout, new RegExp(`^Next steps on ${udid} ".+":$`, 'm'));
    }
    assert.equal(result.stdout.trimEnd().split('\n').at(-1), '3 devices: 3 done, 0 failed, 0 refused');
  });

  it('devices whose restore checks fail are refused (exit 1): each one\'s failed check on stderr, its cause and what to do in the summary', async () => {
    // Without the answer that lets ADE restore from a backup, the supervised replacements' checks cannot pass.
    const result = await restore('--to', A, C, '--no-reboot', '--ade-restore-allowed', 'no', '--lang', 'en');
    assert.equal(result.code, 1, result.stderr);
    for (const udid of [A, C]) {
      assert.match(result.stderr, new RegExp(`^${udid} "[^"]+": check failed: .+$`, 'm'));
      assert.match(result.stderr, new RegExp(`^${udid} "[^"]+": refused by the checks: .+$`, 'm'));
      assert.match(result.stdout, new RegExp(`\\(${udid}\\)\\s+.+\\s+Restore\\s+Refused by the checks\\s`, 'm'));
      assert.match(result.stdout, new RegExp(`^${udid} "[^"]+": The restore did not start because a check failed: .+\\n  Failed check: .+: .+\\n  What to do: .+$`, 'm'));
    }
    assert.match(result.stdout, /^2 devices: 0 done, 0 failed, 2 refused$/m);
  });

  it('a --from that is missing or not a backup: the single-device form\'s sentence once and its exit code, before any row', async () => {
    const missing = path.join(base, 'no-such-backup');
    const notABackup = await fs.mkdtemp(path.join(base, 'not-a-backup-'));
    for (const dir of [missing, notABackup]) {
      const single = await runCli(['restore', A, '--from', dir], env, { timeoutMs: 60_000 });
      const sentence = single.stderr.split('\n').find((line) => line.startsWith(`${dir} is not a backup: `));
      assert.ok(sentence !== undefined && single.code !== 0, single.stderr);
      for (const targets of [['--to', A, B], ['--all']]) {
        const result = await runCli(['restore', '--from', dir, ...targets], env, { timeoutMs: 60_000 });
        assert.equal(result.code, single.code, result.stderr);
        assert.equal(result.stdout, '');
        assert.deepEqual(result.stderr.trimEnd().split('\n'), [sentence]);
      }
    }
  });
});
