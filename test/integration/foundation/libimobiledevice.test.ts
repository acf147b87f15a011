import assert from 'node:assert/strict';
import { hasTool, run, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';

/** Debian's libimobiledevice tools against the simulator: they prove the wire format and the TLS session. */
describe('libimobiledevice tools against the simulator', function () {
  this.timeout(60_000);
  let h: SimulatorHarness;

  before(async function () {
    if (!hasTool('idevice_id')) this.skip();
    h = await startSimulator({
      devices: [
        { udid: SOURCE, name: 'Support iPhone', productType: 'iPhone14,5', productVersion: '16.1', buildVersion: '20B82', backupPassword: null },
        { udid: TARGET, name: 'Encrypted iPhone', productType: 'iPhone15,4', productVersion: '17.2', buildVersion: '21C62', backupPassword: 'pw-demo' },
      ],
    });
  });
  after(async () => h && (await h.stop()));

  it('idevice_id -l lists both UDIDs', async () => {
    const r = await run('idevice_id', ['-l'], h.env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), [SOURCE, TARGET].sort());
  });

  it('ideviceinfo prints the device values from inside a TLS session', async () => {
    const r = await run('ideviceinfo', ['-u', SOURCE], h.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^DeviceName: Support iPhone$/m);
    assert.match(r.stdout, /^ProductType: iPhone14,5$/m);
    assert.match(r.stdout, /^ProductVersion: 16\.1$/m);
    // SerialNumber is only given inside a session, so its presence proves the TLS session worked.
    assert.match(r.stdout, /^SerialNumber: /m);
  });

  it('ideviceinfo reads WillEncrypt from the backup domain as the scenario says', async () => {
    const plain = await run('ideviceinfo', ['-u', SOURCE, '-q', 'com.apple.mobile.backup', '-k', 'WillEncrypt'], h.env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout.trim(), 'false');
    const encrypted = await run('ideviceinfo', ['-u', TARGET, '-q', 'com.apple.mobile.backup', '-k', 'WillEncrypt'], h.env);
    assert.equal(encrypted.stdout.trim(), 'true');
  });

  it('idevicepair validate succeeds with the pairing the simulator made', async () => {
    const r = await run('idevicepair', ['-u', SOURCE, 'validate'], h.env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /SUCCESS: Validated pairing/);
  });

  it('idevicepair unpair then pair works against the device side of pairing', async () => {
    const unpair = await run('idevicepair', ['-u', TARGET, 'unpair'], h.env);
    assert.equal(unpair.code, 0, unpair.stderr + unpair.stdout);
    assert.equal(h.simulator.device(TARGET)?.trustedHosts.size, 0);
    const pair = await run('idevicepair', ['-u', TARGET, 'pair'], h.env);
    assert.equal(pair.code, 0, pair.stderr + pair.stdout);
    const validate = await run('idevicepair', ['-u', TARGET, 'validate'], h.env);
    assert.equal(validate.code, 0, validate.stderr + validate.stdout);
  });
});
