import assert from 'node:assert/strict';
import { restoreDisconnectedError, restoreErrorFromResult, restoreInterruptedError } from '../../../src/restore/restoreFailure';
import { isBackupError } from '../../../src/common/errors';

describe('restore failure mapping', () => {
  it('211: Find My, with the device code and what to do', () => {
    const err = restoreErrorFromResult({ errorCode: 211, errorDescription: 'Find My iPhone must be disabled before restoring (MBErrorDomain/211)' });
    assert.ok(isBackupError(err));
    assert.equal(err.deviceErrorCode, 211);
    assert.equal(err.code, 'restore.device-error.211');
    assert.match(err.message, /^Find My must be turned off before restoring; .*Settings > \[your name\] > Find My/);
    assert.match(err.message, /device: Find My iPhone must be disabled before restoring \(MBErrorDomain\/211\)\)\.$/);
  });

  it('105: reads "A < B" from the description into amounts', () => {
    const err = restoreErrorFromResult({ errorCode: 105, errorDescription: 'Insufficient free disk space on device to restore (1000000000 < 5000000000) (MBErrorDomain/105)' });
    assert.equal(err.deviceErrorCode, 105);
    assert.match(err.message, /not have enough free space for this restore \(it has 1\.0 GB free and needs 5\.0 GB\); delete content on the device/);
  });

  it('105 without numbers still says what to do', () => {
    assert.match(restoreErrorFromResult({ errorCode: 105 }).message, /enough free space.*\(MBErrorDomain\/105\)\.$/);
  });

  it('207, 208, 102 and 205 each have their own sentence', () => {
    assert.match(restoreErrorFromResult({ errorCode: 207, errorDescription: 'Invalid password when restoring encrypted backup' }).message, /rejected the backup password/);
    assert.match(restoreErrorFromResult({ errorCode: 208 }).message, /locked/);
    assert.match(restoreErrorFromResult({ errorCode: 102, errorDescription: 'Failed to move the incomplete restore directory into place at /var/.backup.i' }).message, /restart the device, then run the restore again/);
    assert.match(restoreErrorFromResult({ errorCode: 205, errorDescription: 'Multiple errors downloading files' }).message, /could not take one or more files/);
  });

  it('"software is too old" in the description means the device must be updated first', () => {
    const err = restoreErrorFromResult({ errorCode: 1, errorDescription: 'The software on the iPhone is too old' });
    assert.match(err.message, /newer iOS than the device runs.*update the device first/);
  });

  it('an unknown code keeps the device description on one line', () => {
    const err = restoreErrorFromResult({ errorCode: 42, errorDescription: 'Something\nodd happened.' });
    assert.equal(err.message, 'The device stopped the restore with error 42: Something odd happened; the device may be partly restored, so restart it and run the restore again.');
    assert.equal(err.deviceErrorCode, 42);
  });

  it('a disconnect or a dropped link says the device may be partly restored and to run it again', () => {
    assert.match(restoreDisconnectedError(undefined).message, /partly restored; reconnect it and run the same restore again/);
    assert.equal(restoreInterruptedError(new Error('closed')).code, 'restore.device-disconnected');
    assert.match(restoreInterruptedError(new Error('closed')).message, /error 102/);
  });
});
