import assert from 'node:assert/strict';
import { isDeviceBusyError } from '../../../src/device/deviceBusyError';
import { DeviceOperationClaim, withDeviceClaim } from '../../../src/device/deviceOperationLock';
import { isBackupError } from '../../../src/common/errors';

const PHONE = '00008110-000A1B2C3D4E801E';
const OTHER = '00008120-001C2D3E4F5A602E';

describe('device operation lock (one backup, restore or encryption change per device in a process)', () => {
  it('refuses a second operation on the same device with one sentence naming what runs, in any UDID case', () => {
    const backup = DeviceOperationClaim.take(PHONE, 'backup');
    try {
      assert.throws(
        () => DeviceOperationClaim.take(PHONE.toLowerCase(), 'restore'),
        (e) => isDeviceBusyError(e) && isBackupError(e) && e.code === 'backup.device-busy' && e.running === 'backup' &&
          e.message === `A backup of ${PHONE.toLowerCase()} is already running in this window or process; wait for it to finish.`,
      );
      assert.throws(() => DeviceOperationClaim.take(PHONE, 'encryption-change'), (e) => isDeviceBusyError(e) && e.running === 'backup');
    } finally {
      backup.release();
    }
  });

  it('lets other devices run at the same time, and frees the device on release (twice is harmless)', () => {
    const first = DeviceOperationClaim.take(PHONE, 'restore');
    const other = DeviceOperationClaim.take(OTHER, 'backup');
    assert.equal(first.holds(PHONE.toLowerCase()), true);
    assert.equal(first.holds(OTHER), false);
    first.release();
    first.release();
    assert.equal(first.holds(PHONE), false);
    const next = DeviceOperationClaim.take(PHONE, 'encryption-change');
    // The first claim's second release must not free the device for a third operation.
    first.release();
    assert.throws(() => DeviceOperationClaim.take(PHONE, 'backup'), (e) => isDeviceBusyError(e) && e.running === 'encryption-change');
    next.release();
    other.release();
  });

  it('withDeviceClaim frees the device whether the operation succeeds or throws', async () => {
    await assert.rejects(
      withDeviceClaim(PHONE, 'restore', async () => {
        throw new Error('the device went away');
      }),
      /the device went away/,
    );
    assert.equal(await withDeviceClaim(PHONE, 'backup', async (claim) => claim.holds(PHONE)), true);
    DeviceOperationClaim.take(PHONE, 'backup').release();
  });
});
