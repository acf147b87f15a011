import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifestPlist } from '../../../src/backup/format/manifestPlist';
import { parseScenario } from '../../../src/simulator/scenario';
import { skipWithoutTools } from '../../helpers/simulatorHarness';
import {
  assertExtractMatchesDataset,
  assertNoPasswords,
  fastKeybagScenario,
  outputKeepingCli,
  startCapturingSimulator,
  willEncrypt,
  type CapturingSimulator,
} from '../../helpers/encryptedDeviceHarness';

const UDID = '00008110-000C0FFEE000501E';
const DATASET = { files: 40, totalBytes: 400_000, seed: 21, generation: 0 };
const PASSWORD = 'couldNotBeSet-Pa55word';

/** A device just after "Reset All Settings", optionally with a fault switch. */
function scenario(faults: Record<string, unknown> = {}): { devices: Record<string, unknown>[] } {
  return fastKeybagScenario({ udid: UDID, name: 'Reset iPhone', resetAllSettingsQuirk: true, dataset: DATASET, faults });
}

/** End to end: "the password could not be set" after Reset All Settings, and the --recover workaround. */
describe('the backup password could not be set (simulated device with resetAllSettingsQuirk)', function () {
  this.timeout(300_000);
  let sim: CapturingSimulator;
  let root: string;
  const { cli, outputs } = outputKeepingCli(() => sim);

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2', 'ideviceinfo');
    sim = await startCapturingSimulator(scenario());
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-could-not-be-set-'));
  });
  after(async () => {
    if (sim) await sim.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('"encryption on" is refused: exit 1, what happened, why and what --recover does; WillEncrypt stays false', async () => {
    const r = await cli(['encryption', UDID, 'on'], { IOSBR_PASSWORD: PASSWORD });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /What happened: the device refused the new backup password/);
    assert.match(r.stderr, /Why: after "Reset All Settings"/);
    assert.match(r.stderr, /What --recover does/);
    assert.match(r.stderr, /could not be set/);
    assert.equal(await willEncrypt(sim.env, UDID), false);
    const deviceLog = sim.simulator.device(UDID)!.log.recentLines().join('\n');
    assert.match(deviceLog, /Error setting WillEncrypt value in lockdown \(MBErrorDomain\/1\)/);
    assert.match(deviceLog, /an unencrypted backup must complete before a backup password can be set/);
  });

  it('a failed unencrypted backup does not lift the refusal', async () => {
    sim.simulator.applyScenario(parseScenario(scenario({ disconnectAfterFiles: 3 })));
    const backup = await cli(['backup', UDID, '--dir', root]);
    assert.notEqual(backup.code, 0);
    assert.equal(sim.simulator.device(UDID)!.lastBackup?.outcome, 'dropped');
    sim.simulator.applyScenario(parseScenario(scenario()));
    const r = await cli(['encryption', UDID, 'on'], { IOSBR_PASSWORD: PASSWORD });
    assert.equal(r.code, 1);
    assert.equal(await willEncrypt(sim.env, UDID), false);
  });

  it('"encryption on --recover --dir ROOT": unencrypted backup, same password, full encrypted backup, verified', async () => {
    const r = await cli(['encryption', UDID, 'on', '--recover', '--dir', root, '--password-stdin'], {}, `${PASSWORD}\n`);
    assert.equal(r.code, 0, r.stderr);
    for (const step of ['Step 1/4', 'Step 2/4', 'Step 3/4', 'Step 4/4']) assert.ok(r.stderr.includes(step), `${step} is announced`);
    assert.match(r.stdout, /Backup encryption is now on/);
    assert.equal(await willEncrypt(sim.env, UDID), true);
    const report = sim.simulator.device(UDID)!.lastBackup!;
    assert.equal(report.outcome, 'finished');
    assert.equal(report.mode, 'full', 'everything is re-sent encrypted');
    assert.equal((await readManifestPlist(path.join(root, UDID))).isEncrypted, true);
  });

  it('verify-password on ROOT/UDID exits 0 with that password and 1 with another', async () => {
    const backupDir = path.join(root, UDID);
    const right = await cli(['verify-password', backupDir, '--password-stdin'], {}, `${PASSWORD}\n`);
    assert.equal(right.code, 0, right.stderr);
    const wrong = await cli(['verify-password', backupDir], { IOSBR_PASSWORD: 'another-Pa55word' });
    assert.equal(wrong.code, 1);
    await assertExtractMatchesDataset(backupDir, sim.env, PASSWORD, DATASET);
  });

  it('no password reached any output, the simulator log or the device log', () => {
    assertNoPasswords([...outputs, ...sim.logLines, ...sim.simulator.device(UDID)!.log.recentLines()], [PASSWORD]);
  });
});
