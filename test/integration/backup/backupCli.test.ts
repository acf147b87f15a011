import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExtractResult } from '../../../src/backup/format/backupReader';
import { hashedFilePath } from '../../../src/backup/format/fileId';
import type { BackupInspection } from '../../../src/backup/inspect/backupInspection';
import { MANIFEST_FLAGS, ManifestDb, type ManifestEntry } from '../../../src/backup/format/manifestDb';
import { parseScenario } from '../../../src/simulator/scenario';
import { assertSameBackup } from '../../helpers/backupComparison';
import { CLI, hasTool, run, runCli, startSimulator, type RunResult, type SimulatorHarness } from '../../helpers/simulatorHarness';

const UDID = '00008110-000A1B2C3D4E801E';

/** A scenario device with a small deterministic dataset and the given generation and faults. */
function scenario(generation: number, faults: Record<string, unknown> = {}, files = 120, totalBytes = 2_000_000) {
  return parseScenario({
    devices: [{ udid: UDID, name: 'Support iPhone', productType: 'iPhone14,5', productVersion: '16.1', mdm: 'enrolled', supervised: true, dataset: { files, totalBytes, seed: 7, generation }, faults }],
  });
}

interface ListedBackup {
  udid: string;
  dir: string;
  complete: boolean;
  deviceName: string | null;
  iosVersion: string | null;
  encrypted: boolean | null;
  sizeBytes: number;
  date: string | null;
}

async function listed(root: string, env: NodeJS.ProcessEnv): Promise<ListedBackup[]> {
  const result = await runCli(['backups', '--dir', root, '--json'], env);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as ListedBackup[];
}

async function manifestRows(backupDir: string): Promise<ManifestEntry[]> {
  const db = await ManifestDb.openFile(path.join(backupDir, 'Manifest.db'));
  try {
    return (await db.entries()).sort((a, b) => a.fileID.localeCompare(b.fileID));
  } finally {
    db.close();
  }
}

/** inode of every hashed file, keyed by fileID. */
async function hashedInodes(backupDir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const row of await manifestRows(backupDir)) {
    if (row.flags !== MANIFEST_FLAGS.file) continue;
    const file = hashedFilePath(backupDir, row.fileID);
    if (existsSync(file)) out.set(row.fileID, (await fs.stat(file)).ino);
  }
  return out;
}

/** Every file below `dir` (relative paths), for "nothing was written outside" checks. */
async function treeListing(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    out.push(path.relative(dir, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)));
  }
  return out.sort();
}

/** The parts of `backup --json` these tests read. */
interface BackupRunJson {
  filesTransferred: number;
  backupDir: string;
  fullBackup?: boolean;
}

function backupJson(result: RunResult): BackupRunJson {
  assert.equal(result.code, 0, `backup failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as BackupRunJson;
}

/** How many files `extract --json` wrote. */
const filesWritten = (result: RunResult): number => (JSON.parse(result.stdout) as ExtractResult).filesWritten;

describe('backup CLI against the simulated device', function () {
  this.timeout(180_000);
  let harness: SimulatorHarness;
  let base: string;
  let root: string;

  before(async function () {
    harness = await startSimulator(scenario(0));
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-backup-it-'));
    root = path.join(base, 'root');
  });
  after(async () => {
    await harness?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  const backup = (...extra: string[]) => runCli(['backup', UDID, '--dir', root, ...extra], harness.env, { timeoutMs: 120_000 });
  const finalDir = () => path.join(root, UDID);

  it('makes a full backup: progress on stderr, one-line summary, listed complete, files listable and extractable, facts recorded', async () => {
    const result = await backup();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Backing up: \d+% · \d+ files · [\d.]+ (B|KB|MB) · [\d.]+ (B|KB|MB)\/s/);
    assert.match(result.stdout.trim(), /^Backed up "Support iPhone" \(00008110-000A1B2C3D4E801E\) to .+: \d+ files transferred \(.+\) in [\d.]+ s, full backup\.$/);
    assert.equal(harness.simulator.device(UDID)?.lastBackup?.mode, 'full');

    const backups = await listed(root, harness.env);
    assert.equal(backups.length, 1);
    assert.equal(backups[0].udid, UDID);
    assert.equal(backups[0].complete, true);
    assert.equal(backups[0].deviceName, 'Support iPhone');
    assert.equal(backups[0].iosVersion, '16.1');
    assert.equal(backups[0].encrypted, false);
    assert.ok(backups[0].sizeBytes > 1_000_000);

    const ls = await runCli(['ls', finalDir(), '--json'], harness.env);
    assert.equal(ls.code, 0, ls.stderr);
    const entries = JSON.parse(ls.stdout) as Array<{ domain: string; relativePath: string; kind: string; size: number | null }>;
    const files = entries.filter((e) => e.kind === 'file');
    assert.equal(files.length, 120);
    const domain = files[0].domain;
    const lsDomain = await runCli(['ls', finalDir(), '--domain', domain], harness.env);
    assert.equal(lsDomain.code, 0, lsDomain.stderr);
    assert.ok(lsDomain.stdout.trim().split('\n').every((line) => line.startsWith(`${domain}\t`)));

    const out = path.join(base, 'extracted');
    const extract = await runCli(['extract', finalDir(), '--out', out, '--domain', domain], harness.env);
    assert.equal(extract.code, 0, extract.stderr);
    assert.match(extract.stdout, /^Extracted \d+ files \(.+\) into .+\.$/m);
    const sample = files.find((f) => f.domain === domain && (f.size ?? 0) > 0);
    assert.ok(sample);
    assert.equal((await fs.stat(path.join(out, domain, sample.relativePath))).size, sample.size);
    const onePath = await runCli(['extract', finalDir(), '--out', path.join(base, 'one'), '--domain', domain, '--path', sample.relativePath, '--json'], harness.env);
    assert.equal(filesWritten(onePath), 1);

    // The folder holds only what the device sent, like any host's backup: no file of ours. The device and its
    // state at backup time are read from the backup's own files (plists and the configuration-profile store).
    assert.deepEqual((await fs.readdir(finalDir())).filter((name) => name.startsWith('iosbr-')), []);
    const inspected = await runCli(['inspect', finalDir(), '--json'], harness.env);
    assert.equal(inspected.code, 0, inspected.stderr);
    const inspection = JSON.parse(inspected.stdout) as BackupInspection;
    assert.equal(inspection.device.udid, UDID);
    assert.equal(inspection.device.iosVersion, '16.1');
    assert.equal(inspection.device.productType, 'iPhone14,5');
    assert.equal(inspection.encrypted, false);
    assert.equal(inspection.management.supervised, true);
    assert.equal(inspection.management.mdmEnrolled, true);
  });

  it('an unchanged device gives an incremental backup that rewrites no hashed file', async () => {
    const before = await hashedInodes(finalDir());
    const result = backupJson(await backup('--json'));
    assert.equal(harness.simulator.device(UDID)?.lastBackup?.mode, 'incremental');
    assert.equal(harness.simulator.device(UDID)?.lastBackup?.filesUploaded, 0);
    assert.equal(result.fullBackup, false);
    assert.ok(result.filesTransferred < 10, `only metadata travels, got ${result.filesTransferred} files`);
    assert.deepEqual(await hashedInodes(finalDir()), before, 'unchanged files are the same inodes (carried over by hard links)');
  });

  it('after a dataset generation bump, transfers only the changed files', async () => {
    const before = await hashedInodes(finalDir());
    harness.simulator.applyScenario(scenario(1));
    const result = backupJson(await backup('--json'));
    const report = harness.simulator.device(UDID)?.lastBackup;
    assert.equal(report?.mode, 'incremental');
    assert.ok(report && report.filesUploaded > 0 && report.filesUploaded < 120, `some but not all files change (${report?.filesUploaded})`);
    const uploaded = new Set(report.uploadedFileIds);
    assert.equal(result.filesTransferred - report.filesUploaded < 10, true, 'besides the changed files only metadata travels');
    const after = await hashedInodes(finalDir());
    for (const [fileID, inode] of after) {
      if (uploaded.has(fileID)) assert.notEqual(inode, before.get(fileID), `${fileID} was sent, so it is a new file`);
      else assert.equal(inode, before.get(fileID), `${fileID} was not sent, so it is the previous file`);
    }
    assert.equal((await listed(root, harness.env)).every((b) => b.complete), true);
  });

  it("matches idevicebackup2 --full of the same device: byte-identical Manifest.db and hashed files, same plists", async function () {
    if (!hasTool('idevicebackup2')) this.skip();
    const ours = backupJson(await backup('--full', '--json'));
    assert.equal(ours.fullBackup, true);
    const lidRoot = path.join(base, 'lid');
    await fs.mkdir(lidRoot);
    const lid = await run('idevicebackup2', ['-u', UDID, 'backup', '--full', lidRoot], harness.env, { timeoutMs: 120_000 });
    assert.equal(lid.code, 0, `idevicebackup2 failed: ${lid.stdout}\n${lid.stderr}`);
    // Manifest.db and the 120 hashed files byte for byte, the plists but for their per-backup fields.
    assert.equal(await assertSameBackup(finalDir(), path.join(lidRoot, UDID)), 121);
  });

  describe('faults leave the previous backup complete and extractable', () => {
    const faultCases: Array<{ name: string; faults: Record<string, unknown>; args: string[]; message: RegExp; interruptedShown: boolean }> = [
      { name: 'disconnectAfterFiles', faults: { disconnectAfterFiles: 30 }, args: ['--full'], message: /^The device disconnected during the backup; check the cable and try again\.$/m, interruptedShown: true },
      { name: 'disconnectAfterBytes', faults: { disconnectAfterBytes: 500_000 }, args: ['--full'], message: /^The device disconnected during the backup; check the cable and try again\.$/m, interruptedShown: true },
      { name: 'uploadOutsidePath', faults: { uploadOutsidePath: true }, args: [], message: /^Refused the path ".*" because it contains a "\.\." segment; every path must stay inside .+\.$/m, interruptedShown: true },
      { name: 'refuseBackup', faults: { refuseBackup: { code: 212, description: 'Unable to backup until Setup is finished' } }, args: [], message: /^The device cannot be backed up until Setup Assistant is finished; finish setting up the device and try again \(device: Unable to backup until Setup is finished \(MBErrorDomain\/212\)\)\.$/m, interruptedShown: false },
    ];
    for (const fault of faultCases) {
      it(`${fault.name}: exit 1 with a clear sentence, previous backup intact, interrupted one ${fault.interruptedShown ? 'shown incomplete' : 'not kept'}, rerun completes`, async () => {
        const beforeRows = await manifestRows(finalDir());
        const beforeOutside = (await fs.readdir(base)).sort();
        harness.simulator.applyScenario(scenario(2, fault.faults));
        const failed = await backup(...fault.args);
        assert.equal(failed.code, 1, failed.stderr);
        assert.match(failed.stderr, fault.message);
        assert.match(failed.stderr, new RegExp(`^The previous backup in .*${UDID} is intact\\.$`, 'm'));
        assert.doesNotMatch(failed.stderr, /\n\s+at /, 'no stack trace');

        const backups = await listed(root, harness.env);
        const complete = backups.filter((b) => b.complete);
        assert.deepEqual(complete.map((b) => path.basename(b.dir)), [UDID]);
        const incomplete = backups.filter((b) => !b.complete);
        if (fault.interruptedShown) {
          assert.equal(incomplete.length, 1);
          assert.equal(incomplete[0].udid, UDID);
        } else {
          assert.equal(incomplete.length, 0);
        }
        assert.deepEqual(await manifestRows(finalDir()), beforeRows, 'the previous backup is unchanged');
        const out = path.join(base, `extract-${fault.name}`);
        const extract = await runCli(['extract', finalDir(), '--out', out, '--json'], harness.env);
        assert.equal(extract.code, 0, extract.stderr);
        assert.equal(filesWritten(extract), 120);
        await fs.rm(out, { recursive: true });

        // Nothing appeared beside the backup root, nor in the system temp folder under the evil names.
        assert.deepEqual((await fs.readdir(base)).sort(), beforeOutside);
        assert.deepEqual((await treeListing(base)).filter((p) => /evil|escape/.test(p)), []);
        assert.equal(existsSync(path.join(os.tmpdir(), 'outside', 'evil.txt')), false);

        harness.simulator.applyScenario(scenario(2));
        const rerun = await backup();
        assert.equal(rerun.code, 0, rerun.stderr);
        const after = await listed(root, harness.env);
        assert.deepEqual(after.map((b) => [path.basename(b.dir), b.complete]), [[UDID, true]]);
      });
    }
  });

  describe('cancellation', () => {
    it('Ctrl-C cancels cleanly: exit 1, "the previous backup is intact", previous backup still complete', async () => {
      // A bigger dataset keeps the transfer running long enough to interrupt it.
      harness.simulator.applyScenario(scenario(3, {}, 400, 120_000_000));
      const beforeRows = await manifestRows(finalDir());
      const child = spawn(process.execPath, [CLI, 'backup', UDID, '--dir', root, '--full'], { env: harness.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let signalled = false;
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (!signalled && /Backing up: \d+% · [1-9]\d* files/.test(stderr)) {
          signalled = true;
          child.kill('SIGINT');
        }
      });
      const code = await exited;
      assert.equal(signalled, true, `the backup never reached the transfer: ${stderr}`);
      assert.equal(code, 1, stderr);
      assert.match(stderr, /^Backup was cancelled; the previous backup is intact\.$/m);
      const backups = await listed(root, harness.env);
      assert.deepEqual(backups.filter((b) => b.complete).map((b) => path.basename(b.dir)), [UDID]);
      assert.equal(backups.filter((b) => !b.complete).length, 1, 'the cancelled backup is shown incomplete');
      assert.deepEqual(await manifestRows(finalDir()), beforeRows);
    });
  });

  describe('memory', () => {
    it('stays flat with backup size: a 400 MB backup peaks far below its size (Linux /proc sampling)', async function () {
      if (process.platform !== 'linux') this.skip();
      harness.simulator.applyScenario(scenario(4, {}, 200, 400_000_000));
      const bigRoot = path.join(base, 'big');
      const child = spawn(process.execPath, [CLI, 'backup', UDID, '--dir', bigRoot, '--full'], { env: harness.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      let peakKb = 0;
      const sampler = setInterval(() => {
        fs.readFile(`/proc/${child.pid}/status`, 'utf8').then(
          (status) => (peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))),
          () => undefined,
        );
      }, 50);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearInterval(sampler);
      assert.equal(code, 0, stderr);
      assert.ok(peakKb > 0, 'the child was sampled');
      assert.ok(peakKb < 250 * 1024, `peak resident memory ${Math.round(peakKb / 1024)} MB for a 400 MB backup`);
      await fs.rm(bigRoot, { recursive: true, force: true });
    });
  });
});
