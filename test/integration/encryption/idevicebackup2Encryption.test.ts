import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseKeybag } from '../../../src/backup/crypto';
import { readManifestPlist } from '../../../src/backup/format/manifestPlist';
import { BACKUP_DOMAIN_CHANGED } from '../../../src/simulator/backup/changePasswordRequest';
import { SimulatedDataset } from '../../../src/simulator/dataset/simulatedDataset';
import { parseScenario } from '../../../src/simulator/scenario';
import { run, runCli, skipWithoutTools } from '../../helpers/simulatorHarness';
import {
  assertExtractMatchesDataset,
  assertNoPasswords,
  fastKeybagScenario,
  FAST_KEYBAG,
  lsRows,
  outputOf,
  startCapturingSimulator,
  willEncrypt,
  type CapturingSimulator,
} from '../../helpers/encryptedDeviceHarness';

const ENCRYPTING = '00008110-000E1A2B3C4D501E';
const PLAIN = '00008110-000F2B3C4D5E601E';
const DATASET = { files: 60, totalBytes: 600_000, seed: 11, generation: 0 };
// Debian's idevicebackup2 takes encryption passwords on argv; only this test of that tool does so.
const FIRST_PASSWORD = 'first-Pa55word';
const SECOND_PASSWORD = 'second-Pa55word';

function scenario(generation: number): { devices: Record<string, unknown>[] } {
  return fastKeybagScenario(
    { udid: ENCRYPTING, name: 'Encrypting iPhone', dataset: { ...DATASET, generation } },
    { udid: PLAIN, name: 'Plain iPhone', dataset: DATASET },
  );
}

/** Debian's idevicebackup2 1.3.0 turning encryption on, changing the password and backing up the simulated device. */
describe('idevicebackup2 encryption and encrypted backups against the simulated device', function () {
  this.timeout(600_000);
  let sim: CapturingSimulator;
  let root: string;
  const outputs: string[] = [];
  const lid = (args: string[]) => run('idevicebackup2', ['-u', ...args], sim.env, { timeoutMs: 300_000 });

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2', 'ideviceinfo');
    sim = await startCapturingSimulator(scenario(0));
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-lid-enc-'));
  });
  after(async () => {
    if (sim) await sim.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('"encryption on PASSWORD" enables encryption: WillEncrypt true, domain_changed posted', async () => {
    assert.equal(await willEncrypt(sim.env, ENCRYPTING), false);
    const r = await lid([ENCRYPTING, 'encryption', 'on', FIRST_PASSWORD]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Backup encryption has been enabled successfully\./);
    assert.equal(await willEncrypt(sim.env, ENCRYPTING), true);
    assert.ok(sim.simulator.device(ENCRYPTING)!.notifications.posted.includes(BACKUP_DOMAIN_CHANGED));
  });

  it('"changepw" with a wrong old password ends with ErrorCode 207 and changes nothing', async () => {
    const r = await lid([ENCRYPTING, 'changepw', 'not-the-password', SECOND_PASSWORD]);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /ErrorCode 207: Invalid password \(MBErrorDomain\/207\)/);
    assert.match(r.stdout, /Could not change backup encryption password\./);
    assert.equal(await willEncrypt(sim.env, ENCRYPTING), true);
  });

  it('"changepw OLD NEW" changes the password; encryption stays on', async () => {
    const r = await lid([ENCRYPTING, 'changepw', FIRST_PASSWORD, SECOND_PASSWORD]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Backup encryption password has been changed successfully\./);
    assert.equal(await willEncrypt(sim.env, ENCRYPTING), true);
  });

  it('"backup --full" of the encrypted device is genuinely encrypted and opens with the new password only', async () => {
    const r = await lid([ENCRYPTING, 'backup', '--full', root]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Backup Successful\./);
    const backupDir = path.join(root, ENCRYPTING);
    const manifest = await readManifestPlist(backupDir);
    assert.equal(manifest.isEncrypted, true);
    assert.ok(manifest.manifestKey && manifest.manifestKey.length === 44, 'ManifestKey = 4-byte class + 40-byte wrapped key');
    const keybag = parseKeybag(manifest.backupKeyBag!);
    assert.equal(keybag.header.dpIterations, FAST_KEYBAG.sha256);
    assert.equal(keybag.header.iterations, FAST_KEYBAG.sha1);
    assert.notEqual(readFileSync(path.join(backupDir, 'Manifest.db')).subarray(0, 15).toString('latin1'), 'SQLite format 3', 'Manifest.db is stored encrypted');

    const right = await runCli(['verify-password', backupDir], { ...sim.env, IOSBR_PASSWORD: SECOND_PASSWORD });
    assert.equal(right.code, 0, right.stderr);
    const old = await runCli(['verify-password', backupDir, '--password-stdin'], sim.env, { stdin: `${FIRST_PASSWORD}\n` });
    assert.equal(old.code, 1, old.stderr);
    assert.match(old.stderr, /does not open/);
    outputs.push(...outputOf(right), ...outputOf(old));
  });

  it('ls lists the same rows as an unencrypted backup of the same dataset', async () => {
    const r = await lid([PLAIN, 'backup', '--full', root]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((await readManifestPlist(path.join(root, PLAIN))).isEncrypted, false);
    const encryptedRows = await lsRows(path.join(root, ENCRYPTING), sim.env, SECOND_PASSWORD);
    const plainRows = await lsRows(path.join(root, PLAIN), sim.env);
    assert.equal(encryptedRows.length, SimulatedDataset.build(DATASET).entries.length);
    assert.deepEqual(encryptedRows, plainRows);
  });

  it('extract gives files byte-identical to the generated dataset', async () => {
    await assertExtractMatchesDataset(path.join(root, ENCRYPTING), sim.env, SECOND_PASSWORD, DATASET);
  });

  it('an incremental encrypted backup sends only the changed files and still opens completely', async () => {
    const before = SimulatedDataset.build(DATASET);
    sim.simulator.applyScenario(parseScenario(scenario(1)));
    const after = SimulatedDataset.build({ ...DATASET, generation: 1 });
    const changed = after.files().filter((f, i) => f.contentVersion !== before.files()[i].contentVersion);
    const r = await lid([ENCRYPTING, 'backup', root]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = sim.simulator.device(ENCRYPTING)!.lastBackup!;
    assert.equal(report.mode, 'incremental');
    assert.deepEqual([...report.uploadedFileIds].sort(), changed.map((f) => f.fileID).sort());
    await assertExtractMatchesDataset(path.join(root, ENCRYPTING), sim.env, SECOND_PASSWORD, { ...DATASET, generation: 1 });
  });

  it('"encryption off PASSWORD" turns encryption off; the next backup is a full, unencrypted one', async () => {
    const r = await lid([ENCRYPTING, 'encryption', 'off', SECOND_PASSWORD]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await willEncrypt(sim.env, ENCRYPTING), false);
    const backup = await lid([ENCRYPTING, 'backup', root]);
    assert.equal(backup.code, 0, backup.stdout + backup.stderr);
    assert.equal(sim.simulator.device(ENCRYPTING)!.lastBackup!.mode, 'full');
    assert.equal((await readManifestPlist(path.join(root, ENCRYPTING))).isEncrypted, false);
    assert.ok(!existsSync(path.join(root, ENCRYPTING, 'Snapshot')));
  });

  it('no password reached our CLI output, the simulator log or the device log', () => {
    const deviceLog = sim.simulator.device(ENCRYPTING)!.log.recentLines();
    assertNoPasswords([...outputs, ...sim.logLines, ...deviceLog], [FIRST_PASSWORD, SECOND_PASSWORD]);
  });
});
