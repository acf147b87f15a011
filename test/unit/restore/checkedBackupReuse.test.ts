import assert from 'node:assert/strict';
import { isUsageError } from '../../../src/common/errors';
import { gatherRestorePreflightFacts } from '../../../src/restore/runRestorePreflight';
import type { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { completeBackupFacts } from '../../builders/backupPreflightFacts';

const UDID = '00008110-000A1B2C3D4E801E';
// A folder that does not exist: reading it would fail, so a result proves the checked facts were used.
const MISSING_DIR = '/nonexistent/iosbr-backups/00008110-000A1B2C3D4E801E';
const noDevice = {} as UsbmuxClient;

describe('restore checks: reusing what the caller already read from the backup', () => {
  it('takes the checked backup facts for the same folder instead of reading it and deriving the key again', async () => {
    // A failing backup check leaves the device alone, so no device is needed either.
    const checked = completeBackupFacts(UDID, { backupDir: MISSING_DIR, password: { kind: 'wrong' } });
    const facts = await gatherRestorePreflightFacts({ mux: noDevice, udid: UDID, backupDir: MISSING_DIR, checkedBackup: checked, passwordRequired: true, skipDeviceWhenBackupFails: true });
    assert.equal(facts.backup, checked);
    assert.equal(facts.target, undefined);
  });

  it('reads the folder itself when the checked facts are about another folder', async () => {
    const checked = completeBackupFacts(UDID, { backupDir: '/elsewhere', password: { kind: 'wrong' } });
    await assert.rejects(gatherRestorePreflightFacts({ mux: noDevice, udid: UDID, backupDir: MISSING_DIR, checkedBackup: checked, passwordRequired: true, skipDeviceWhenBackupFails: true }),
      (e) => isUsageError(e) && /is not a backup: it does not exist/.test(e.message),
    );
  });
});
