import assert from 'node:assert/strict';
import { getInteger, getString, isPlistDict, type PlistDict } from '../../../src/plist';
import { buildProcessMessage } from '../../../src/services/deviceLinkCodec';
import { BACKUP_DOMAIN_CHANGED } from '../../../src/simulator/backup/changePasswordRequest';
import { startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { openMobileBackup2 } from '../../helpers/scriptedBackupHost';
import { fastKeybagScenario } from '../../helpers/encryptedDeviceHarness';

const PLAIN = '00008110-000A0A0A0A0A101E';
const ENCRYPTED = '00008110-000B0B0B0B0B202E';
const RESET = '00008110-000C0C0C0C0C303E';

/** Sends one ChangePassword with these fields and returns the device's final Response. */
async function changePassword(h: SimulatorHarness, udid: string, fields: PlistDict): Promise<PlistDict> {
  const mb = await openMobileBackup2(h, udid);
  try {
    mb.connection.sendPlist(buildProcessMessage({ MessageName: 'ChangePassword', TargetIdentifier: udid, ...fields }), 'binary');
    const reply = await mb.connection.receivePlist(30_000);
    assert.ok(Array.isArray(reply) && reply[0] === 'DLMessageProcessMessage' && isPlistDict(reply[1]), 'a final ProcessMessage');
    return reply[1];
  } finally {
    await mb.close();
  }
}

/** The device side of mobilebackup2 ChangePassword, seen from a scripted host. */
describe('simulated device: mobilebackup2 ChangePassword requests', function () {
  this.timeout(120_000);
  let h: SimulatorHarness;
  before(async () => {
    h = await startSimulator(
      fastKeybagScenario(
        { udid: PLAIN, dataset: { files: 5, totalBytes: 5000, seed: 1 } },
        { udid: ENCRYPTED, backupPassword: 'current-Pa55', dataset: { files: 5, totalBytes: 5000, seed: 1 } },
        { udid: RESET, resetAllSettingsQuirk: true, dataset: { files: 5, totalBytes: 5000, seed: 1 } },
      ),
    );
  });
  after(async () => h && (await h.stop()));

  it('an encrypted device wants the current password: missing or wrong → 207 "Invalid password"', async () => {
    const requests: PlistDict[] = [{ NewPassword: 'next-Pa55' }, { OldPassword: 'wrong-Pa55', NewPassword: 'next-Pa55' }, { OldPassword: 'wrong-Pa55' }];
    for (const fields of requests) {
      const reply = await changePassword(h, ENCRYPTED, fields);
      assert.equal(getInteger(reply, 'ErrorCode'), 207);
      assert.equal(getString(reply, 'ErrorDescription'), 'Invalid password (MBErrorDomain/207)');
    }
    assert.equal(h.simulator.device(ENCRYPTED)!.backupPassword !== null, true);
    assert.ok(!h.simulator.device(ENCRYPTED)!.notifications.posted.includes(BACKUP_DOMAIN_CHANGED));
  });

  it('a device without encryption refuses an old password or no new one, and malformed options', async () => {
    const requests: PlistDict[] = [{ OldPassword: 'x-Pa55', NewPassword: 'y-Pa55' }, {}, { NewPassword: 42 }, { NewPassword: '' }];
    for (const fields of requests) {
      const reply = await changePassword(h, PLAIN, fields);
      assert.equal(getInteger(reply, 'ErrorCode'), 1, JSON.stringify(fields));
      assert.match(getString(reply, 'ErrorDescription') ?? '', /\(MBErrorDomain\/1\)$/);
    }
    assert.equal(h.simulator.device(PLAIN)!.backupPassword, null);
  });

  it('passwords inside Options are read too; success posts domain_changed', async () => {
    const reply = await changePassword(h, PLAIN, { Options: { NewPassword: 'options-Pa55' } });
    assert.equal(getInteger(reply, 'ErrorCode'), 0);
    assert.equal(reply.ErrorDescription, undefined);
    assert.equal(h.simulator.device(PLAIN)!.backupPassword !== null, true);
    assert.ok(h.simulator.device(PLAIN)!.notifications.posted.includes(BACKUP_DOMAIN_CHANGED));
  });

  it('after Reset All Settings, enabling is refused with ErrorCode 1 and the reason goes to the device log', async () => {
    const reply = await changePassword(h, RESET, { NewPassword: 'reset-Pa55' });
    assert.equal(getInteger(reply, 'ErrorCode'), 1);
    assert.equal(getString(reply, 'ErrorDescription'), 'Error setting WillEncrypt value in lockdown (MBErrorDomain/1)');
    const device = h.simulator.device(RESET)!;
    assert.equal(device.backupPassword, null);
    assert.equal(device.resetAllSettingsQuirkArmed, true);
    assert.ok(device.log.recentLines().some((line) => /BackupAgent2.*Error setting WillEncrypt value in lockdown/.test(line)));
  });
});
