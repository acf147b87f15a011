import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { createPairingCertificates } from '../../../src/lockdown/pairingCertificates';
import { BACKUP_DOMAIN_CHANGED } from '../../../src/simulator/backup/changePasswordRequest';
import { SimulatorState } from '../../../src/simulator/simulatorState';
import { runCli } from '../../helpers/simulatorHarness';
import { assertNoPasswords, fastKeybagScenario, outputOf, startCapturingSimulator, type CapturingSimulator } from '../../helpers/encryptedDeviceHarness';

const UDID = '00008110-000E0E0E0E0E404E';
const SCENARIO = fastKeybagScenario({ udid: UDID, dataset: { files: 3, totalBytes: 3000, seed: 2 } });
const PASSWORD = 'rogue-never-Pa55';

/**
 * Gives the simulated device a new identity in its state dir, as a rogue device (or a rogue
 * usbmuxd relaying to one) would have: a new key pair, and for every host it trusts a device
 * certificate made for that new key. It still accepts the host's HostID, so only the certificate
 * it presents in the TLS handshake can give it away.
 */
function replaceDeviceIdentity(stateDir: string): void {
  rmSync(path.join(stateDir, 'devices', UDID, 'device-key.pem'));
  rmSync(path.join(stateDir, 'devices', UDID, 'device-public-key.pem'));
  const state = new SimulatorState(stateDir);
  const rogueKeys = state.deviceKeys(UDID);
  const hosts = state.trustedHosts(UDID);
  assert.ok(hosts.size > 0, 'the device was paired with a host');
  for (const host of hosts.values()) host.deviceCertificate = createPairingCertificates(rogueKeys.publicKeyPkcs1Pem).deviceCertificate;
  state.saveTrustedHosts(UDID, hosts);
}

describe('a device presenting a certificate other than the paired one', function () {
  this.timeout(120_000);
  let sim: CapturingSimulator | undefined;
  after(async () => sim && (await sim.stop()));

  it('is refused in the TLS handshake, before any password is sent', async () => {
    sim = await startCapturingSimulator(SCENARIO);
    // The genuine device passes the pinned handshake.
    const genuine = await runCli(['info', UDID], sim.env);
    assert.equal(genuine.code, 0, genuine.stderr);

    const stateDir = sim.stateDir;
    await sim.stop(false);
    replaceDeviceIdentity(stateDir);
    sim = await startCapturingSimulator(SCENARIO, stateDir);

    const r = await runCli(['encryption', UDID, 'on'], { ...sim.env, IOSBR_PASSWORD: PASSWORD });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /^The device's certificate does not match the one recorded when this computer was paired; [^\n]*pair it again\.$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');

    const device = sim.simulator.device(UDID)!;
    assert.equal(device.backupPassword, null, 'the device never got a password');
    assert.ok(!device.notifications.posted.includes(BACKUP_DOMAIN_CHANGED));
    const deviceLog = device.log.recentLines();
    assert.ok(!deviceLog.some((line) => /Started service/.test(line)), 'no service was started for the refused host');
    assertNoPasswords([...outputOf(r), ...sim.logLines, ...deviceLog], [PASSWORD]);
  });
});
