import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRowJson } from '../../../src/cli/benchJson';
import { BENCH_PASSCODE_INDEX, benchName, benchScenario, benchUdid } from '../../../src/simulator/benchScenario';
import { CLI, runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const DEVICES = [1, 2, 3, 4].map(benchUdid);
const UNATTACHED = '00008110-0000000000B000FF';

/** `backup` with a bench of four small simulated devices, run as people run it: dist/cli.js with stderr a pipe (not a terminal). */
describe('backup CLI, batch forms (kitting bench)', function () {
  this.timeout(300_000);
  let harness: SimulatorHarness;
  let base: string;

  before(async () => {
    harness = await startSimulator(benchScenario({ devices: 4, files: 30, totalBytes: 150_000 }));
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-backup-it-'));
  });
  after(async () => {
    await harness?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  const backup = (...words: string[]) => runCli(['backup', ...words], harness.env, { timeoutMs: 240_000 });

  it('--all backs up every attached device: a line per device and event on stderr, the summary table on stdout, exit 0', async () => {
    const root = path.join(base, 'all');
    const result = await backup('--all', '--jobs', '2', '--dir', root);
    assert.equal(result.code, 0, result.stderr);
    for (const [i, udid] of DEVICES.entries()) {
      const label = `${udid} "${benchName(i + 1)}"`;
      assert.match(result.stderr, new RegExp(`^${udid}: queued$`, 'm'));
      assert.match(result.stderr, new RegExp(`^${label}: backing up \\d+ % \\(\\d+ files, [\\d.]+ (B|KB|MB)\\)$`, 'm'));
      assert.match(result.stderr, new RegExp(`^${label}: done in \\d+ s: \\d+ files, [\\d.]+ (B|KB|MB)$`, 'm'));
      assert.match(result.stdout, new RegExp(`^${benchName(i + 1)} \\(${udid}\\)\\s+iPhone 13\\s+F2LBENCH000${i + 1}\\s+1[67]\\.\\d\\s+Backup\\s+Done\\s+\\d+ s\\s+-$`, 'm'));
      const listed = await fs.readdir(path.join(root, udid));
      assert.ok(listed.includes('Manifest.db') && listed.includes('Info.plist'), `${udid}: ${listed.join(', ')}`);
    }
    assert.match(result.stdout, /^Device\s+Model\s+Serial\s+iOS\s+Operation\s+Result\s+Duration\s+Cause$/m);
    assert.equal(result.stdout.trimEnd().split('\n').at(-1), '4 devices: 4 done, 0 failed, 0 refused');
    // Terminal codes only go to a terminal.
    assert.doesNotMatch(result.stderr, /\x1b\[/);
  });

  it('--json: one result per device on stdout and nothing else; an unattached UDID fails alone (exit 1)', async () => {
    const root = path.join(base, 'json');
    const result = await backup(DEVICES[0], UNATTACHED, DEVICES[2], '--dir', root, '--json');
    assert.equal(result.code, 1, result.stderr);
    const rows = JSON.parse(result.stdout) as BenchRowJson[];
    assert.deepEqual(rows.map((r) => [r.udid, r.state]), [
      [DEVICES[0], 'done'],
      [UNATTACHED, 'failed'],
      [DEVICES[2], 'done'],
    ]);
    const [first, missing] = rows;
    assert.equal(first.operation, 'backup');
    assert.equal(first.name, benchName(1));
    assert.equal(first.serial, 'F2LBENCH0001');
    assert.equal(first.iOS, '16.1');
    assert.equal(first.backupDir, path.join(root, DEVICES[0]));
    assert.ok(first.durationMs !== null && first.durationMs >= 0);
    assert.equal(first.failure, null);
    assert.equal(missing.failure?.sentence, `No device with UDID ${UNATTACHED} is attached.`);
    assert.ok((missing.failure?.nextSteps.length ?? 0) > 0);
    assert.match(result.stderr, new RegExp(`^${UNATTACHED}: failed: No device with UDID ${UNATTACHED} is attached\\.$`, 'm'));
  });

  it('refuses a device listed twice, --jobs out of range and --all with UDIDs before touching any device (exit 2)', async () => {
    const twice = await backup(DEVICES[0], DEVICES[1], DEVICES[0], '--dir', path.join(base, 'twice'));
    assert.equal(twice.code, 2);
    assert.equal(twice.stderr.trim(), `The device ${DEVICES[0]} is listed twice.`);
    assert.equal(twice.stdout, '');
    const jobs = await backup('--all', '--jobs', '17');
    assert.equal(jobs.code, 2);
    assert.equal(jobs.stderr.trim(), '--jobs must be a whole number from 1 to 16 (got "17").');
    const both = await backup('--all', DEVICES[0]);
    assert.equal(both.code, 2);
    await assert.rejects(fs.access(path.join(base, 'twice')));
  });

  it('lists the batch forms in help', async () => {
    const help = await runCli(['help'], harness.env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^ {2}backup <udid>\.\.\. \| --all \[--jobs N\]/m);
    assert.match(help.stdout, /^ {2}restore <udid> --from <backupDir> \| --from <backupDir> \(--to <udid>\.\.\. \| --all\) \[--jobs N\]/m);
  });
});

describe('backup CLI, batch forms: Ctrl-C', function () {
  this.timeout(120_000);
  let harness: SimulatorHarness;
  let base: string;

  before(async () => {
    // With the bench's faults, one replacement waits for its passcode (a person typing it a few seconds later).
    harness = await startSimulator(benchScenario({ devices: 4, faults: true, files: 30, totalBytes: 150_000 }));
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-cancel-it-'));
  });
  after(async () => {
    await harness?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('cancels every row still running, prints the summary with them cancelled, exit 1', async () => {
    const waiting = benchUdid(BENCH_PASSCODE_INDEX);
    const child = spawn(process.execPath, [CLI, 'backup', '--all', '--dir', base], { env: harness.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!signalled && new RegExp(`^${waiting} "[^"]+": waiting for the passcode`, 'm').test(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await exited;
    assert.equal(signalled, true, `no device waited for its passcode: ${stderr}`);
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`^${waiting} "[^"]+": cancelled`, 'm'));
    assert.match(stdout, new RegExp(`\\(${waiting}\\)\\s+.+\\s+Backup\\s+Cancelled\\s`, 'm'));
    assert.match(stdout.trimEnd().split('\n').at(-1) ?? '', /^4 devices: \d done, \d failed, 0 refused, [1-9] cancelled$/);
  });
});
