import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBackup } from '../../../../src/backup/engine/backupEngine';
import { runRestore } from '../../../../src/restore/restoreEngine';
import { DeviceSession } from '../../../../src/lockdown/deviceSession';
import { getInteger, getString } from '../../../../src/plist';
import { Mobilebackup2Service } from '../../../../src/services/mobilebackup2';
import { domainValues } from '../../../../src/simulator/deviceValues';
import { SIMULATOR_DOMAIN } from '../../../../src/simulator/restore/restoredDeviceState';
import { parseScenario } from '../../../../src/simulator/scenario';
import { UsbmuxClient } from '../../../../src/usbmux/usbmuxClient';
import { run, runCli, skipWithoutTools, startSimulator, type RunResult, type SimulatorHarness } from '../../../helpers/simulatorHarness';

const UDID = '00008110-000A1B2C3D4E801E';
/** Seconds long on both sides of the restart, so the backups below surely start inside the window whatever the machine's load. */
const RESTART = { afterRestoreDelayMs: 4000, downMs: 4000 };
const ROUNDS = 3;

/**
 * The seconds between a restore's result and the restart that applies it (issue #13 item 11): a
 * backup started then used to be cut halfway when the device went down, so idevicebackup2 reported
 * an unspecified error, a failed version exchange or crashed. Now the device leaves usbmuxd with the
 * result, and a request on a connection that was already open is refused with a well-formed Response.
 */
describe('the simulated device between a restore and its restart', function () {
  this.timeout(300_000);
  let h: SimulatorHarness;
  let base: string;
  let mux: UsbmuxClient;
  let source: string;

  const attached = () => h.simulator.attached().some((d) => d.udid === UDID);
  const waitForRestart = async (): Promise<void> => {
    for (let i = 0; i < 400; i++) {
      if (domainValues(h.simulator.device(UDID)!, SIMULATOR_DOMAIN)?.RestorePendingReboot === false && attached()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${UDID} did not come back from its restart`);
  };
  const lidBackup = (dir: string): Promise<RunResult> => {
    mkdirSync(dir, { recursive: true });
    return run('idevicebackup2', ['-u', UDID, 'backup', dir], h.env, { timeoutMs: 120_000 });
  };

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2');
    h = await startSimulator(parseScenario({
      devices: [{ udid: UDID, name: 'Support iPhone', productVersion: '16.1', dataset: { files: 30, totalBytes: 300_000, seed: 9 }, restart: RESTART }],
    }));
    base = mkdtempSync(path.join(os.tmpdir(), 'iosbr-restart-window-'));
    mux = new UsbmuxClient(h.simulator.address);
    source = (await runBackup({ mux, udid: UDID, root: path.join(base, 'source') })).backupDir;
  });
  after(async () => {
    if (h) await h.stop();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it(`backups asked for right after a restore (our CLI and idevicebackup2, ${ROUNDS} times) find no device; after the restart both succeed`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const restored = await runRestore({ mux, udid: UDID, backupDir: source });
      assert.equal(restored.reboot, true);
      assert.equal(attached(), false, 'the device left usbmuxd with the result');
      const [ours, lid] = await Promise.all([runCli(['backup', UDID, '--dir', path.join(base, `ours-${round}`)], h.env), lidBackup(path.join(base, `lid-${round}`))]);
      assert.equal(ours.code, 1, ours.stdout + ours.stderr);
      assert.equal(ours.stderr.trim(), `No device with UDID ${UDID} is attached.`);
      assert.equal(lid.code, 255, lid.stdout + lid.stderr);
      assert.equal(`${lid.stdout}${lid.stderr}`.trim(), `No device found with udid ${UDID}.`);
      await waitForRestart();
    }
    const ours = await runCli(['backup', UDID, '--dir', path.join(base, 'ours-after')], h.env);
    assert.equal(ours.code, 0, ours.stderr);
    const lid = await lidBackup(path.join(base, 'lid-after'));
    assert.equal(lid.code, 0, lid.stdout + lid.stderr);
    assert.match(lid.stdout, /Backup Successful\./);
  });

  it('requests sent on a mobilebackup2 connection opened before the restore ended get a well-formed refusal (Backup, Restore, ChangePassword), then the link ends with the restart', async () => {
    await waitForRestart();
    const session = await DeviceSession.open(mux, UDID);
    const early = new Mobilebackup2Service(session, {});
    try {
      await early.connect();
    } finally {
      await session.close();
    }
    try {
      await runRestore({ mux, udid: UDID, backupDir: source });
      const requests: [string, () => void][] = [
        ['Backup', () => early.requestBackup({ targetIdentifier: UDID, sourceIdentifier: UDID })],
        ['Restore', () => early.requestRestore({ targetIdentifier: UDID, sourceIdentifier: UDID, reboot: true, restoreSystemFiles: false, preserveSettings: false, copyFirst: false, removeItemsNotRestored: false })],
        ['ChangePassword', () => early.link.sendProcessMessage({ MessageName: 'ChangePassword', TargetIdentifier: UDID, NewPassword: 'not used' })],
      ];
      for (const [name, send] of requests) {
        send();
        const answer = await early.link.receive();
        assert.ok(answer.name === 'DLMessageProcessMessage', `${name}: ${answer.name}`);
        const content = answer.content;
        assert.equal(getString(content, 'MessageName'), 'Response', name);
        assert.equal(getInteger(content, 'ErrorCode'), 1, name);
        assert.equal(getString(content, 'ErrorDescription'), 'The device is restarting to finish a restore; try again once it is back (MBErrorDomain/1)', name);
      }
      await assert.rejects(early.link.receive(), /closed the connection/);
    } finally {
      early.close();
    }
    await waitForRestart();
  });
});
