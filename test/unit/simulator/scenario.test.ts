import assert from 'node:assert/strict';
import { isUsageError } from '../../../src/common/errors';
import { demoScenario, loadScenarioFile, parseScenario } from '../../../src/simulator/scenario';

describe('simulator scenario', () => {
  it('says in words why a scenario file cannot be read, without a bare error code', () => {
    assert.throws(
      () => loadScenarioFile('/no/such/folder/scenario.json'),
      (err: unknown) =>
        isUsageError(err) && err.message === 'Cannot read the scenario file /no/such/folder/scenario.json because it does not exist.',
    );
  });

  it('fills defaults and keeps the contract fields', () => {
    const s = parseScenario({ devices: [{ udid: '00008110-000A1B2C3D4E801E', backupPassword: 'secret', mdm: 'enrolled', supervised: true }] });
    const d = s.devices[0];
    assert.equal(d.backupPassword, 'secret');
    assert.equal(d.mdm, 'enrolled');
    assert.equal(d.supervised, true);
    assert.equal(d.paired, true);
    assert.equal(d.attached, true);
    assert.deepEqual(d.trust, { response: 'trust', delayMs: 0 });
  });
  it('names the exact field that is wrong', () => {
    assert.throws(() => parseScenario({ devices: [{ udid: 'x' }] }), (e) => isUsageError(e) && /devices\[0\]\.udid/.test(e.message));
    assert.throws(() => parseScenario({ devices: [{ udid: '00008110-000A1B2C3D4E801E', mdm: 'maybe' }] }), /devices\[0\]\.mdm/);
    assert.throws(() => parseScenario({ devices: [{ udid: '00008110-000A1B2C3D4E801E', dataset: { files: -1 } }] }), /devices\[0\]\.dataset\.files/);
    assert.throws(() => parseScenario({}), /devices/);
  });
  it('refuses the same UDID twice', () => {
    const d = { udid: '00008110-000A1B2C3D4E801E' };
    assert.throws(() => parseScenario({ devices: [d, d] }), /twice/);
  });
  it('serves two demo devices', () => {
    assert.equal(demoScenario().devices.length, 2);
  });
});
