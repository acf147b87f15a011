import assert from 'node:assert/strict';
import { backupDisconnectedError, backupErrorFromResult } from '../../../../src/backup/engine/backupFailure';

describe('backup failure sentences', () => {
  it('turns known device codes into one sentence with the next step and the device text', () => {
    const e = backupErrorFromResult({ errorCode: 105, errorDescription: 'Insufficient free disk space on drive to back up (MBErrorDomain/105)' });
    assert.equal(e.message, 'There is not enough free space on this computer for the backup; free up space on the backup drive or choose another folder with --dir (device: Insufficient free disk space on drive to back up (MBErrorDomain/105)).');
    assert.equal(e.deviceErrorCode, 105);
    assert.equal(e.code, 'backup.device-error.105');
    for (const code of [1, 3, 4, 103, 104, 105, 205, 207, 208, 211, 212]) {
      const m = backupErrorFromResult({ errorCode: code }).message;
      assert.match(m, new RegExp(`\\(MBErrorDomain/${code}\\)\\.$`));
      assert.equal(m.split('. ').length, 1, `one sentence for ${code}: ${m}`);
    }
  });

  it('keeps unknown codes and flattens multi-line descriptions', () => {
    assert.equal(backupErrorFromResult({ errorCode: 999, errorDescription: 'Odd\n  failure.' }).message, 'The device stopped the backup with error 999: Odd failure.');
    assert.equal(backupErrorFromResult({ errorCode: 999 }).message, 'The device stopped the backup with error 999.');
  });

  it('explains a disconnect without a result', () => {
    assert.equal(backupDisconnectedError(undefined).message, 'The device ended the backup without reporting a result; check the cable and try again.');
    assert.match(backupDisconnectedError('bye').message, /\(bye\)/);
  });
});
