import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PASSCODE_PROMPT_NOTIFICATION, showPasscodePrompt } from '../../../src/simulator/backup/passcodePrompt';
import { parseScenario } from '../../../src/simulator/scenario';
import { Simulator } from '../../../src/simulator/simulator';

const UDID = '00008110-000A1B2C3D4E801E';

describe('simulator: SimulatorControl enter-passcode', function () {
  this.timeout(30_000);
  let stateDir: string;
  let simulator: Simulator;

  before(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-enter-passcode-'));
    // Nobody types the passcode on their own, and the prompt would wait ten minutes: only the control action ends it.
    const scenario = parseScenario({ devices: [{ udid: UDID, productVersion: '17.2', passcode: { set: true, enteredAfterMs: null, timeoutMs: 600_000 } }] });
    simulator = await Simulator.start({ listen: { kind: 'tcp', host: '127.0.0.1', port: 0 }, scenario, stateDir });
  });
  after(async () => {
    await simulator?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('types the passcode at the prompt on screen, and answers false when no prompt is shown', async () => {
    const device = simulator.device(UDID);
    assert.ok(device);
    assert.equal(simulator.control('enter-passcode', UDID), false, 'no prompt yet');
    const outcome = showPasscodePrompt(device, 'backup');
    assert.equal(device.notifications.posted.at(-1), PASSCODE_PROMPT_NOTIFICATION.presented);
    assert.equal(simulator.control('enter-passcode', UDID), true);
    assert.equal((await outcome).kind, 'entered');
    assert.equal(device.notifications.posted.at(-1), PASSCODE_PROMPT_NOTIFICATION.dismissed);
    assert.equal(simulator.control('enter-passcode', UDID), false, 'the prompt is gone');
    assert.equal(simulator.control('enter-passcode', '00008110-FFFFFFFFFFFFFFFF'), false, 'an unknown device');
  });
});
