import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readInfoPlist } from '../../../src/backup/format/infoPlist';
import { RESTORE_APPLICATIONS_DIR, RESTORE_APPLICATIONS_FILE } from '../../../src/restore/restoreApplications';
import { isPlistDict, parsePlist } from '../../../src/plist';
import { parseScenario, type Scenario } from '../../../src/simulator/scenario';
import type { VirtualDevice } from '../../../src/simulator/virtualDevice';
import { hasTool, run, runCli, startSimulator, type RunResult, type SimulatorHarness } from '../../helpers/simulatorHarness';

const DEVICE_A = '00008110-000A1B2C3D4E801E';
const DEVICE_B = '00008120-001C2D3E4F5A602E';
const ENCRYPTED = '00008110-000F1E2D3C4B5A6E';
const SECRET = 'restore-secret ✓';

/** Restarts quickly after a restore so the tests do not wait on the real device's pace. */
const FAST_RESTART = { afterRestoreDelayMs: 100, downMs: 300 };

function scenario(faults: { b?: Record<string, unknown>; passcodeB?: Record<string, unknown> } = {}): Scenario {
  return parseScenario({
    devices: [
      { udid: DEVICE_A, name: 'Old iPhone', productVersion: '16.1', mdm: 'enrolled', supervised: true, restart: FAST_RESTART, dataset: { files: 80, totalBytes: 1_500_000, seed: 21 } },
      {
        udid: DEVICE_B,
        name: 'New iPhone',
        productVersion: '17.2',
        mdm: 'enrolled',
        supervised: true,
        restart: FAST_RESTART,
        faults: faults.b ?? {},
        ...(faults.passcodeB ? { passcode: faults.passcodeB } : {}),
        dataset: { files: 10, totalBytes: 20_000, seed: 22 },
      },
      { udid: ENCRYPTED, name: 'Encrypted iPhone', productVersion: '16.1', mdm: 'enrolled', supervised: true, backupPassword: SECRET, restart: FAST_RESTART, dataset: { files: 20, totalBytes: 200_000, seed: 23 } },
    ],
  });
}

interface RestoreJson {
  restored: boolean;
  /** Where each compatibility fact came from (the restore checks' resolution). */
  provenance: { origins: Record<string, { kind: string } | undefined> };
  udid: string;
  sourceIdentifier: string;
  differentDevice: boolean;
  filesSent: number;
  bytesSent: number;
  appsToReinstall: number;
  refusedPaths: string[];
  unavailableFiles: string[];
  postRestoreSteps: Array<{ text: { en: string } }>;
  error?: { code: string; deviceErrorCode?: number; message: string };
}

function restored(result: RunResult): RestoreJson {
  assert.equal(result.code, 0, `restore failed: ${result.stderr}`);
  const out = JSON.parse(result.stdout) as RestoreJson;
  assert.equal(out.restored, true);
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Backs up device A with our CLI and restores it into device B and into A itself, end to end over the wire. */
describe('restore CLI against the simulated devices', function () {
  this.timeout(600_000);
  let h: SimulatorHarness;
  let base: string;
  let backupA: string;
  let env: NodeJS.ProcessEnv;

  const device = (udid: string): VirtualDevice => {
    const found = h.simulator.device(udid);
    assert.ok(found, udid);
    return found;
  };
  /** The digest of what the device holds (its generated dataset, or what a restore put there). */
  const contentDigest = (udid: string): string => device(udid).restored.summary(device(udid).spec.dataset).digest;
  /** After a restore that restarts the device: wait until the staged files moved into place and it is attached again. */
  async function waitForRestart(udid: string): Promise<void> {
    const target = device(udid);
    const deadline = Date.now() + 20_000;
    while (target.restored.hasPendingRestore || !h.simulator.attached().includes(target)) {
      if (Date.now() > deadline) throw new Error(`${udid} did not come back after its restart`);
      await sleep(50);
    }
  }
  const restore = (udid: string, from: string, ...extra: string[]) => runCli(['restore', udid, '--from', from, '--ade-restore-allowed', 'yes', ...extra], env, { timeoutMs: 300_000 });

  before(async () => {
    h = await startSimulator(scenario());
    env = { ...h.env };
    delete env.IOSBR_PASSWORD;
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-restore-it-'));
    const backup = await runCli(['backup', DEVICE_A, '--dir', path.join(base, 'ours')], env, { timeoutMs: 120_000 });
    assert.equal(backup.code, 0, backup.stderr);
    backupA = path.join(base, 'ours', DEVICE_A);
  });
  after(async () => {
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('restores a backup of A into B (another UDID): progress on stderr, the app list left on B, the steps after the restore', async () => {
    const text = await restore(DEVICE_B, backupA);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stderr, /^Restore checks:$/m);
    assert.match(text.stderr, /^Restoring: \d+% · \d+ files · [\d.]+ (B|KB|MB) · [\d.]+ (B|KB|MB)\/s$/m);
    assert.match(text.stdout, new RegExp(`^Restored .+ \\(a backup of ${DEVICE_A}\\) to ${DEVICE_B}: \\d+ files sent \\(.+\\) in [\\d.]+ s; the device now restarts to finish\\.$`, 'm'));
    assert.match(text.stdout, /^After the restore:$/m);
    assert.match(text.stdout, /Remote Management screen appears, tap "Next"/);
    assert.match(text.stdout, /Re-authenticate the iOS agent/);

    const apps = Object.keys((await readInfoPlist(backupA)).applications ?? {}).sort();
    assert.ok(apps.length > 0, 'the simulated device has apps in Info.plist');
    const listed = device(DEVICE_B).mediaFiles.lookup(RESTORE_APPLICATIONS_FILE);
    assert.ok(listed && listed.kind === 'file', 'RestoreApplications.plist is on the device');
    const plist = parsePlist(listed.data);
    assert.ok(isPlistDict(plist));
    assert.deepEqual(Object.keys(plist).sort(), apps);
    assert.match(text.stdout, new RegExp(`downloads its ${apps.length} apps? again`));
    await waitForRestart(DEVICE_B);
  });

  it('with --system --remove-items-not-restored, B afterwards holds exactly what A held (JSON result)', async () => {
    assert.notEqual(contentDigest(DEVICE_B), contentDigest(DEVICE_A));
    const out = restored(await restore(DEVICE_B, backupA, '--system', '--remove-items-not-restored', '--json'));
    assert.equal(out.udid, DEVICE_B);
    assert.equal(out.sourceIdentifier, DEVICE_A);
    assert.equal(out.differentDevice, true);
    assert.ok(out.filesSent >= 80, `files sent: ${out.filesSent}`);
    assert.ok(out.bytesSent >= 1_500_000, `bytes sent: ${out.bytesSent}`);
    assert.deepEqual(out.refusedPaths, []);
    assert.deepEqual(out.unavailableFiles, []);
    await waitForRestart(DEVICE_B);
    assert.equal(contentDigest(DEVICE_B), contentDigest(DEVICE_A));
  });

  it('restores the backup of A into A itself: no Remote Management step', async () => {
    const out = restored(await restore(DEVICE_A, backupA, '--json'));
    assert.equal(out.sourceIdentifier, DEVICE_A);
    assert.equal(out.differentDevice, false);
    assert.ok(!out.postRestoreSteps.some((s) => /Remote Management/.test(s.text.en)));
    await waitForRestart(DEVICE_A);
  });

  it('--no-reboot, then a second restore: the device answers 102 and the CLI says to restart it first', async () => {
    const first = await restore(DEVICE_B, backupA, '--no-reboot');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /restart the device before using it/);
    assert.match(first.stdout, /restart it yourself .*error 102/);
    const second = await restore(DEVICE_B, backupA, '--no-reboot', '--json');
    assert.equal(second.code, 1);
    const out = JSON.parse(second.stdout) as RestoreJson;
    assert.equal(out.error?.deviceErrorCode, 102);
    assert.match(second.stderr, /^The device still holds the files of an earlier restore that was not followed by a restart; restart the device, then run the restore again/m);
    assert.equal(device(DEVICE_B).mediaFiles.lookup(RESTORE_APPLICATIONS_DIR), undefined, 'a failed restore takes its app list back');
    device(DEVICE_B).restart(0);
    await waitForRestart(DEVICE_B);
  });

  it('a link dropped midway: exit 1 saying the device may be partly restored, the device unchanged; the retry completes', async () => {
    h.simulator.applyScenario(scenario({ b: { disconnectDuringRestoreAfterFiles: 5 } }));
    const before = contentDigest(DEVICE_B);
    const dropped = await restore(DEVICE_B, backupA);
    assert.equal(dropped.code, 1, dropped.stdout);
    assert.match(dropped.stderr, /^The connection to the device broke during the restore, so it may be only partly restored; check the cable, reconnect the device and run the same restore again/m);
    assert.equal(contentDigest(DEVICE_B), before, 'the staged files were discarded');
    const retry = restored(await restore(DEVICE_B, backupA, '--system', '--remove-items-not-restored', '--json'));
    assert.equal(retry.differentDevice, true);
    await waitForRestart(DEVICE_B);
    assert.equal(contentDigest(DEVICE_B), contentDigest(DEVICE_A));
    h.simulator.applyScenario(scenario());
  });

  it('a device asking for its passcode: the CLI tells the person, the restore goes on once it is entered', async () => {
    h.simulator.applyScenario(scenario({ passcodeB: { set: true, enteredAfterMs: 300 } }));
    const result = await restore(DEVICE_B, backupA);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Enter the passcode on the device to let the restore start\.$/m);
    await waitForRestart(DEVICE_B);
    h.simulator.applyScenario(scenario());
  });

  it('nobody enters the passcode: exit 1 with the 208 sentence', async () => {
    h.simulator.applyScenario(scenario({ passcodeB: { set: true, enteredAfterMs: null, timeoutMs: 400 } }));
    const result = await restore(DEVICE_B, backupA, '--json');
    assert.equal(result.code, 1);
    assert.equal((JSON.parse(result.stdout) as RestoreJson).error?.deviceErrorCode, 208);
    assert.match(result.stderr, /^The device is locked and nobody entered its passcode in time/m);
    h.simulator.applyScenario(scenario());
  });

  it('restores an encrypted backup with its password (checked on this computer first); the password appears nowhere', async () => {
    const backup = await runCli(['backup', ENCRYPTED, '--dir', path.join(base, 'encrypted')], env, { timeoutMs: 120_000 });
    assert.equal(backup.code, 0, backup.stderr);
    const from = path.join(base, 'encrypted', ENCRYPTED);
    const result = await runCli(['restore', DEVICE_B, '--from', from, '--ade-restore-allowed', 'yes', '--password-stdin', '--json'], env, { stdin: `${SECRET}\n`, timeoutMs: 300_000 });
    const out = restored(result);
    assert.equal(out.sourceIdentifier, ENCRYPTED);
    assert.ok(!(result.stdout + result.stderr).includes(SECRET));
    assert.ok(!device(DEVICE_B).log.recentLines().some((line) => line.includes(SECRET)));
    await waitForRestart(DEVICE_B);
  });

  it('restores a folder made by idevicebackup2 backup', async function () {
    if (!hasTool('idevicebackup2')) this.skip();
    const lidRoot = path.join(base, 'lid');
    await fs.mkdir(lidRoot);
    const lid = await run('idevicebackup2', ['-u', DEVICE_A, 'backup', '--full', lidRoot], env, { timeoutMs: 300_000 });
    assert.equal(lid.code, 0, `idevicebackup2 failed: ${lid.stdout}\n${lid.stderr}`);
    // The backup holds the device's configuration-profile store, so supervision and MDM at backup time are read, not asked.
    const out = restored(await restore(DEVICE_B, path.join(lidRoot, DEVICE_A), '--system', '--remove-items-not-restored', '--json'));
    assert.equal(out.provenance.origins['source.supervisedAtBackup']?.kind, 'backup');
    assert.equal(out.provenance.origins['source.mdmEnrolledAtBackup']?.kind, 'backup');
    assert.equal(out.sourceIdentifier, DEVICE_A);
    assert.ok(out.filesSent > 0);
    await waitForRestart(DEVICE_B);
    assert.equal(contentDigest(DEVICE_B), contentDigest(DEVICE_A));
  });
});
