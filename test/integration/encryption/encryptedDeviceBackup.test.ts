import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseKeybag } from '../../../src/backup/crypto';
import { readManifestPlist } from '../../../src/backup/format/manifestPlist';
import { SimulatedDataset } from '../../../src/simulator/dataset/simulatedDataset';
import { parseScenario } from '../../../src/simulator/scenario';
import {
  assertExtractMatchesDataset,
  assertNoPasswords,
  fastKeybagScenario,
  lsRows,
  outputKeepingCli,
  startCapturingSimulator,
  type CapturingSimulator,
} from '../../helpers/encryptedDeviceHarness';

const ENCRYPTED = '00008110-000D1E2F3A4B501E';
const PLAIN = '00008110-000D1E2F3A4B602E';
const OLD_IOS = '00008110-000D1E2F3A4B703E';
const DATASET = { files: 50, totalBytes: 500_000, seed: 33, generation: 0 };
const SCENARIO_PASSWORD = 'scenario-Pa55word';
const NEW_PASSWORD = 'rekeyed-Pa55word';

function scenario(generation: number): { devices: Record<string, unknown>[] } {
  return fastKeybagScenario(
    { udid: ENCRYPTED, name: 'Encrypted iPhone', backupPassword: SCENARIO_PASSWORD, dataset: { ...DATASET, generation } },
    { udid: PLAIN, name: 'Plain iPhone', dataset: DATASET },
    { udid: OLD_IOS, name: 'iOS 10.1 iPhone', productVersion: '10.1', buildVersion: '14B72', backupPassword: SCENARIO_PASSWORD, dataset: DATASET },
  );
}

/** Files of the dataset whose content a generation bump changed. */
function changedFiles(from: number, to: number): string[] {
  const before = SimulatedDataset.build({ ...DATASET, generation: from }).files();
  return SimulatedDataset.build({ ...DATASET, generation: to })
    .files()
    .filter((f, i) => f.contentVersion !== before[i].contentVersion)
    .map((f) => f.fileID)
    .sort();
}

/** Our own `backup` of a simulated device whose scenario sets a backup password, then our readers on the result. */
describe('iosbr backup of an encrypted simulated device', function () {
  this.timeout(300_000);
  let sim: CapturingSimulator;
  let root: string;
  const { cli, outputs } = outputKeepingCli(() => sim);
  const backupDir = () => path.join(root, ENCRYPTED);

  before(async () => {
    sim = await startCapturingSimulator(scenario(0));
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-enc-backup-'));
  });
  after(async () => {
    if (sim) await sim.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('backup --full makes an encrypted backup that verify-password, ls and extract open', async () => {
    const r = await cli(['backup', ENCRYPTED, '--dir', root, '--full']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await readManifestPlist(backupDir())).isEncrypted, true);
    assert.equal((await cli(['verify-password', backupDir()], { IOSBR_PASSWORD: SCENARIO_PASSWORD })).code, 0);
    assert.equal((await cli(['verify-password', backupDir()], { IOSBR_PASSWORD: NEW_PASSWORD })).code, 1);

    const plain = await cli(['backup', PLAIN, '--dir', root, '--full']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(await lsRows(backupDir(), sim.env, SCENARIO_PASSWORD), await lsRows(path.join(root, PLAIN), sim.env));
    await assertExtractMatchesDataset(backupDir(), sim.env, SCENARIO_PASSWORD, DATASET);
  });

  it('an incremental encrypted backup uploads only the changed files and keeps every file openable', async () => {
    sim.simulator.applyScenario(parseScenario(scenario(1)));
    const r = await cli(['backup', ENCRYPTED, '--dir', root]);
    assert.equal(r.code, 0, r.stderr);
    const report = sim.simulator.device(ENCRYPTED)!.lastBackup!;
    assert.equal(report.mode, 'incremental');
    assert.deepEqual([...report.uploadedFileIds].sort(), changedFiles(0, 1));
    await assertExtractMatchesDataset(backupDir(), sim.env, SCENARIO_PASSWORD, { ...DATASET, generation: 1 });
  });

  it('after a simulator restart the device keeps its keybag: the next backup is still incremental', async () => {
    const stateDir = sim.stateDir;
    const logBefore = sim.logLines;
    await sim.stop(false);
    sim = await startCapturingSimulator(scenario(2), stateDir);
    sim.logLines.unshift(...logBefore);
    const r = await cli(['backup', ENCRYPTED, '--dir', root]);
    assert.equal(r.code, 0, r.stderr);
    const report = sim.simulator.device(ENCRYPTED)!.lastBackup!;
    assert.equal(report.mode, 'incremental');
    assert.deepEqual([...report.uploadedFileIds].sort(), changedFiles(1, 2));
    await assertExtractMatchesDataset(backupDir(), sim.env, SCENARIO_PASSWORD, { ...DATASET, generation: 2 });
  });

  it('after a password change the next backup is full and opens with the new password only', async () => {
    const change = await cli(['encryption', ENCRYPTED, 'change', '--password-stdin'], {}, `${SCENARIO_PASSWORD}\n${NEW_PASSWORD}\n`);
    assert.equal(change.code, 0, change.stderr);
    const r = await cli(['backup', ENCRYPTED, '--dir', root]);
    assert.equal(r.code, 0, r.stderr);
    const report = sim.simulator.device(ENCRYPTED)!.lastBackup!;
    assert.equal(report.mode, 'full');
    assert.equal(report.filesUploaded, DATASET.files);
    assert.equal((await cli(['verify-password', backupDir()], { IOSBR_PASSWORD: NEW_PASSWORD })).code, 0);
    assert.equal((await cli(['verify-password', backupDir()], { IOSBR_PASSWORD: SCENARIO_PASSWORD })).code, 1);
    await assertExtractMatchesDataset(backupDir(), sim.env, NEW_PASSWORD, { ...DATASET, generation: 2 });
  });

  it('after encryption is turned on, the next backup (not asked to be full) is a full, encrypted one', async () => {
    const on = await cli(['encryption', PLAIN, 'on'], { IOSBR_PASSWORD: NEW_PASSWORD });
    assert.equal(on.code, 0, on.stderr);
    const r = await cli(['backup', PLAIN, '--dir', root]);
    assert.equal(r.code, 0, r.stderr);
    const report = sim.simulator.device(PLAIN)!.lastBackup!;
    assert.equal(report.mode, 'full');
    assert.equal(report.filesUploaded, DATASET.files);
    assert.equal((await readManifestPlist(path.join(root, PLAIN))).isEncrypted, true);
    await assertExtractMatchesDataset(path.join(root, PLAIN), sim.env, NEW_PASSWORD, DATASET);
  });

  it('an iOS 10.1 device: one-stage keybag, no ManifestKey, Manifest.db in the clear, files encrypted', async () => {
    const r = await cli(['backup', OLD_IOS, '--dir', root, '--full']);
    assert.equal(r.code, 0, r.stderr);
    const dir = path.join(root, OLD_IOS);
    const manifest = await readManifestPlist(dir);
    assert.equal(manifest.isEncrypted, true);
    assert.equal(manifest.manifestKey, undefined);
    assert.equal(parseKeybag(manifest.backupKeyBag!).header.dpIterations, undefined);
    assert.equal(readFileSync(path.join(dir, 'Manifest.db')).subarray(0, 15).toString('latin1'), 'SQLite format 3');
    assert.equal((await cli(['verify-password', dir], { IOSBR_PASSWORD: SCENARIO_PASSWORD })).code, 0);
    assert.equal((await cli(['verify-password', dir], { IOSBR_PASSWORD: NEW_PASSWORD })).code, 1);
    await assertExtractMatchesDataset(dir, sim.env, SCENARIO_PASSWORD, DATASET);
  });

  it('no password reached any output, the simulator log or the device log', () => {
    assertNoPasswords([...outputs, ...sim.logLines, ...sim.simulator.device(ENCRYPTED)!.log.recentLines()], [SCENARIO_PASSWORD, NEW_PASSWORD]);
  });
});
