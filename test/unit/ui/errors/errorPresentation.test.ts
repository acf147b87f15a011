import assert from 'node:assert/strict';
import { WrongPasswordError } from '../../../../src/backup/crypto/cryptoErrors';
import { CancelledError, MuxError, PairingError, BackupError } from '../../../../src/common/errors';
import type { RestorePreflightResult } from '../../../../src/restore/restorePreflight';
import { RestorePreflightError } from '../../../../src/restore/restorePreflightError';
import { DeviceBusyError } from '../../../../src/device/deviceBusyError';
import { presentError } from '../../../../src/ui/errors/errorPresentation';

describe('ui: error presentation', () => {
  it('cancellation is quiet', () => {
    const p = presentError(new CancelledError('Backup'), 'The backup');
    assert.equal(p.quiet, true);
    assert.equal(p.message, 'The backup was cancelled.');
  });

  it('an unreachable usbmuxd names the address and offers the demo devices', () => {
    const p = presentError(new MuxError('No usbmuxd is answering at UNIX:/var/run/usbmuxd: …', 'usbmux.unreachable', 'UNIX:/var/run/usbmuxd'), 'Pairing');
    assert.equal(p.offerDemo, true);
    assert.match(p.message, /UNIX:\/var\/run\/usbmuxd/);
  });

  it('pairing and password failures get their own sentence; the core sentence stays as detail', () => {
    assert.match(presentError(new PairingError('x', 'UserDeniedPairing'), 'Pairing').message, /Don't Trust/);
    const mismatch = presentError(new PairingError("The device's certificate does not match the one recorded when this computer was paired; …", 'certificate-mismatch'), 'The backup');
    assert.match(mismatch.message, /certificate other than the one recorded at pairing, so nothing was sent/);
    assert.match(mismatch.detail ?? '', /^The device's certificate does not match/);
    assert.equal(presentError(new WrongPasswordError(), 'Checking').message, 'The password does not open this backup.');
    const backup = presentError(new BackupError('There is not enough free space on this computer for the backup.', 'backup.device-error.105', 105), 'The backup');
    assert.equal(backup.message, 'The backup failed.');
    assert.equal(backup.detail, 'There is not enough free space on this computer for the backup.');
    assert.equal(presentError(new Error('boom'), 'The backup').message, 'The backup failed unexpectedly.');
  });

  it('a restore stopped by its checks says so, with the failed check\'s sentence and what to do, in the UI language', () => {
    const check = (id: string, status: 'pass' | 'fail') => ({
      id,
      status,
      title: { en: id, ja: id },
      sentence: { en: `${id} sentence.`, ja: `${id} の文。` },
      action: status === 'fail' ? { en: `Fix ${id}.`, ja: `${id} を直す。` } : undefined,
    });
    const preflight = { checks: [check('backup-complete', 'pass'), check('find-my', 'fail'), check('free-space', 'fail')] } as unknown as RestorePreflightResult;
    const en = presentError(new RestorePreflightError(preflight), 'The restore');
    assert.equal(en.message, 'The restore did not start, and nothing was sent to the device. find-my sentence. Fix find-my. One more check failed: see the Restore checks in the compatibility panel.');
    assert.equal(en.detail, undefined, 'the core sentence would repeat it');
    assert.match(presentError(new RestorePreflightError(preflight), 'The restore', 'ja').message, /find-my の文。 find-my を直す。/);
  });

  it('a device busy with another operation of this window says which, as the whole message', () => {
    const busy = presentError(new DeviceBusyError('00008110-000A1B2C3D4E801E', 'restore'), 'The backup');
    assert.equal(busy.message, 'A restore to 00008110-000A1B2C3D4E801E is already running in this window; wait for it to finish.');
    assert.equal(busy.detail, undefined);
    assert.equal(busy.quiet, false);
  });
});
