import assert from 'node:assert/strict';
import { isPairingError, isServiceStartError } from '../../../src/common/errors';
import { DeviceSession } from '../../../src/lockdown/deviceSession';
import { LockdownClient } from '../../../src/lockdown/lockdownClient';
import { parsePairRecord } from '../../../src/usbmux/pairRecord';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { parseUsbmuxdAddress } from '../../../src/usbmux/socketAddress';
import { startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const UDID = '00008110-000A1B2C3D4E801E';

describe('lockdown sessions against the simulator', function () {
  this.timeout(30_000);
  let h: SimulatorHarness;
  let mux: UsbmuxClient;

  before(async () => {
    h = await startSimulator({ devices: [{ udid: UDID, name: 'Session iPhone', findMy: true }] });
    mux = new UsbmuxClient(parseUsbmuxdAddress(h.address)!);
  });
  after(async () => h && (await h.stop()));

  it('starts TLS, reads session-only values, stops the session and goes on in plaintext, twice', async () => {
    const device = await mux.findDevice(UDID);
    const record = parsePairRecord((await mux.readPairRecord(UDID))!, UDID);
    const lockdown = await LockdownClient.connect(mux, device);
    try {
      assert.equal(await lockdown.getValue('com.apple.fmip', 'IsAssociated'), undefined, 'domains need a session');
      for (let round = 0; round < 2; round++) {
        await lockdown.startSession(record);
        assert.equal(await lockdown.getValue('com.apple.fmip', 'IsAssociated'), true);
        await lockdown.stopSession();
        // Back in plaintext on the same socket: lockdownd still answers.
        assert.equal(await lockdown.queryType(), 'com.apple.mobile.lockdown');
      }
    } finally {
      lockdown.close();
    }
  });

  it('refuses a session to a host the device does not know, telling the user to pair again', async () => {
    const device = await mux.findDevice(UDID);
    const record = parsePairRecord((await mux.readPairRecord(UDID))!, UDID);
    const lockdown = await LockdownClient.connect(mux, device);
    try {
      await assert.rejects(lockdown.startSession({ ...record, hostId: 'UNKNOWN-HOST' }), (e) => isPairingError(e) && /pair it again/.test(e.message));
    } finally {
      lockdown.close();
    }
  });

  it('an unknown service is refused with the real error string, in one sentence', async () => {
    const session = await DeviceSession.open(mux, UDID);
    try {
      await assert.rejects(session.startService('com.apple.no.such.service'), (e) => isServiceStartError(e) && e.lockdownCode === 'InvalidService');
    } finally {
      await session.close();
    }
  });
});
