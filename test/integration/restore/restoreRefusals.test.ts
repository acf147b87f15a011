import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeInfoPlist } from '../../../src/backup/format/infoPlist';
import { encodeStatusPlist, readStatusPlist } from '../../../src/backup/format/statusPlist';
import { RESTORE_APPLICATIONS_DIR } from '../../../src/restore/restoreApplications';
import { parseScenario } from '../../../src/simulator/scenario';
import { SYNC_NOTIFICATION } from '../../../src/services/notificationProxy';
import { PASSWORD, writeEncryptedBackup } from '../../builders/encryptedBackupBuilder';
import { runCli, startSimulator, type RunResult, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { testInfo, testStatus } from '../../builders/testBackupBuilder';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';
const FIND_MY_ON = '00008120-002D3E4F5A6B702E';
const OLDER_IOS = '00008030-000E5F60718A902E';
const LOCKED = '00008120-003E4F5A6B7C802E';

function scenario() {
  return parseScenario({
    devices: [
      { udid: SOURCE, name: 'Source iPhone', productVersion: '16.1', mdm: 'enrolled', supervised: true, dataset: { files: 40, totalBytes: 400_000, seed: 11 } },
      { udid: TARGET, name: 'Target iPhone', productVersion: '17.2', mdm: 'enrolled', supervised: true, dataset: { files: 5, totalBytes: 5000, seed: 12 } },
      { udid: FIND_MY_ON, name: 'Find My iPhone', productVersion: '17.2', mdm: 'enrolled', supervised: true, findMy: true, dataset: { files: 5, totalBytes: 5000, seed: 13 } },
      { udid: OLDER_IOS, name: 'Old iPhone', productVersion: '15.7', buildVersion: '19H12', mdm: 'enrolled', supervised: true, dataset: { files: 5, totalBytes: 5000, seed: 14 } },
      { udid: LOCKED, name: 'Locked iPhone', productVersion: '17.2', mdm: 'enrolled', supervised: true, trust: { response: 'locked' }, paired: false, dataset: { files: 5, totalBytes: 5000, seed: 15 } },
    ],
  });
}

interface CheckJson {
  id: string;
  status: string;
  sentence: { en: string };
}

/** The env of the CLI runs: the simulator's address and no stray password from the caller's shell. */
function cliEnv(h: SimulatorHarness, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...h.env, ...extra };
  if (!('IOSBR_PASSWORD' in extra)) delete env.IOSBR_PASSWORD;
  return env;
}

function failedChecks(result: RunResult): string[] {
  const out = JSON.parse(result.stdout) as { restored: boolean; checks: CheckJson[] };
  assert.equal(out.restored, false);
  return out.checks.filter((c) => c.status === 'fail').map((c) => c.id);
}

/** Refused restores: every failed check exits 1 before anything reaches the device. */
describe('restore refusals (preflight) against the simulated devices', function () {
  this.timeout(180_000);
  let h: SimulatorHarness;
  let base: string;
  let sourceBackup: string;

  /** The device's side saw no sync start and no app list: the restore never reached it. */
  function assertUntouched(udid: string): void {
    const device = h.simulator.device(udid);
    assert.ok(device, udid);
    assert.equal(device.mediaFiles.lookup(RESTORE_APPLICATIONS_DIR), undefined, 'no app list was written');
    assert.ok(!device.notifications.posted.includes(SYNC_NOTIFICATION.WillStart), 'no sync was started on the device');
  }

  before(async () => {
    h = await startSimulator(scenario());
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-restore-refusals-'));
    const backup = await runCli(['backup', SOURCE, '--dir', path.join(base, 'root')], h.env, { timeoutMs: 120_000 });
    assert.equal(backup.code, 0, backup.stderr);
    sourceBackup = path.join(base, 'root', SOURCE);
  });
  after(async () => {
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('Find My on: exit 1 naming error 211 and how to turn it off; nothing sent to the device', async () => {
    const r = await runCli(['restore', FIND_MY_ON, '--from', sourceBackup, '--ade-restore-allowed', 'yes'], cliEnv(h));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\[FAIL\] Find My off: Find My is on; the device refuses a restore while it is on \(error 211\)\./);
    assert.match(r.stderr, /^The restore did not start because a check failed: Find My is on/m);
    assert.match(r.stderr, /^What to do: On the device open Settings > \[your name\] > Find My/m);
    assert.match(r.stderr, /^Nothing was sent to the device\.$/m);
    assert.equal(r.stdout, '');
    assertUntouched(FIND_MY_ON);
    const json = await runCli(['restore', FIND_MY_ON, '--from', sourceBackup, '--ade-restore-allowed', 'yes', '--json'], cliEnv(h));
    assert.equal(json.code, 1);
    assert.deepEqual(failedChecks(json), ['find-my']);
    assertUntouched(FIND_MY_ON);
  });

  it('target on an older iOS than the backup: exit 1 with the update-first advice', async () => {
    const r = await runCli(['restore', OLDER_IOS, '--from', sourceBackup, '--ade-restore-allowed', 'yes', '--json'], cliEnv(h));
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(failedChecks(r), ['ios-version']);
    assert.match(r.stderr, /iOS 15\.7, older than the backup's iOS 16\.1: update the target to iOS 16\.1 or later/);
    assert.match(r.stderr, /^What to do: Update the device first/m);
    assertUntouched(OLDER_IOS);
  });

  it('an incomplete backup (SnapshotState not finished): exit 1, and the device is not even read', async () => {
    const incomplete = path.join(base, 'incomplete', SOURCE);
    await fs.cp(sourceBackup, incomplete, { recursive: true });
    const status = await readStatusPlist(incomplete);
    await fs.writeFile(path.join(incomplete, 'Status.plist'), encodeStatusPlist({ ...status, snapshotState: 'uploading' }));
    const r = await runCli(['restore', TARGET, '--from', incomplete, '--json'], cliEnv(h));
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { checks: CheckJson[]; target: unknown };
    assert.deepEqual(out.checks.filter((c) => c.status === 'fail').map((c) => c.id), ['backup-complete']);
    assert.match(out.checks.find((c) => c.id === 'find-my')!.sentence.en, /^Not checked/);
    assert.equal(out.target, null);
    assert.match(r.stderr, /the backup never finished \(Status\.plist SnapshotState is "uploading"/);
    assertUntouched(TARGET);
  });

  it('a zero-byte Manifest.plist: exit 1 naming error 205', async () => {
    const broken = path.join(base, 'empty-manifest', SOURCE);
    await fs.cp(sourceBackup, broken, { recursive: true });
    await fs.writeFile(path.join(broken, 'Manifest.plist'), '');
    const r = await runCli(['restore', TARGET, '--from', broken], cliEnv(h));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Manifest\.plist is empty \(0 bytes\), which makes the device stop with error 205/);
    assertUntouched(TARGET);
  });

  describe('an encrypted backup', () => {
    let encrypted: string;
    before(async () => {
      encrypted = await writeEncryptedBackup(path.join(base, 'encrypted'));
      await fs.writeFile(path.join(encrypted, 'Info.plist'), encodeInfoPlist(testInfo()));
      await fs.writeFile(path.join(encrypted, 'Status.plist'), encodeStatusPlist(testStatus()));
    });

    it('wrong password: exit 1 naming error 207, checked on this computer; the password appears nowhere', async () => {
      const r = await runCli(['restore', TARGET, '--from', encrypted, '--password-stdin'], cliEnv(h), { stdin: 'hunter2-wrong\n' });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /\[FAIL\] Backup password: The password does not open this backup; the device would refuse it with error 207\./);
      assert.match(r.stderr, /^Nothing was sent to the device\.$/m);
      assert.ok(!(r.stdout + r.stderr).includes('hunter2-wrong'));
      assertUntouched(TARGET);
    });

    it('no password: exit 1 saying how to give it', async () => {
      const r = await runCli(['restore', TARGET, '--from', encrypted], cliEnv(h));
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /no password was given/);
      assert.match(r.stderr, /--password-stdin .* IOSBR_PASSWORD/);
      assertUntouched(TARGET);
    });

    it('preflight alone with the right password: the password check passes and the password appears nowhere', async () => {
      const r = await runCli(['preflight', TARGET, '--from', encrypted, '--json'], cliEnv(h, { IOSBR_PASSWORD: PASSWORD }));
      const out = JSON.parse(r.stdout) as { checks: CheckJson[] };
      assert.equal(out.checks.find((c) => c.id === 'backup-password')?.status, 'pass');
      assert.equal(out.checks.find((c) => c.id === 'backup-encryption')?.status, 'pass');
      assert.ok(!(r.stdout + r.stderr).includes(PASSWORD));
    });
  });

  it('an unpaired, locked device: exit 1 (pairing) before anything is sent', async () => {
    const r = await runCli(['restore', LOCKED, '--from', sourceBackup, '--ade-restore-allowed', 'yes', '--json'], cliEnv(h));
    assert.equal(r.code, 1, r.stderr);
    assert.ok(failedChecks(r).includes('device-paired'));
    assertUntouched(LOCKED);
  });

  it('preflight shows every check and exits 0 only when all pass (warnings allowed)', async () => {
    const ok = await runCli(['preflight', TARGET, '--from', sourceBackup, '--ade-restore-allowed', 'yes', '--json'], cliEnv(h));
    assert.equal(ok.code, 0, ok.stdout);
    const out = JSON.parse(ok.stdout) as { checks: CheckJson[]; clear: boolean; targetStorage: { freeBytes: number } };
    assert.equal(out.clear, true);
    assert.deepEqual(out.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}:${c.status}`), ['backup-encryption:warn']);
    assert.ok(out.targetStorage.freeBytes > 0);
    const text = await runCli(['preflight', FIND_MY_ON, '--from', sourceBackup, '--ade-restore-allowed', 'yes', '--lang', 'en'], cliEnv(h));
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^Restore checks:$/m);
    assert.match(text.stdout, /\[FAIL\] Find My off/);
    assert.match(text.stdout, /\[warn\] What the backup carries: The backup is not encrypted: saved passwords, Wi-Fi settings, website history and Health data/);
    assertUntouched(FIND_MY_ON);
  });

  it('usage errors exit 2: no --from, a password on the command line', async () => {
    assert.equal((await runCli(['restore', TARGET], cliEnv(h))).code, 2);
    const r = await runCli(['restore', TARGET, '--from', sourceBackup, '--password=secret'], cliEnv(h));
    assert.equal(r.code, 2);
    assert.ok(!r.stderr.includes('secret'));
  });
});
