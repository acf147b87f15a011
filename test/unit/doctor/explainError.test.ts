import * as assert from 'node:assert/strict';
import { PasswordCouldNotBeSetError } from '../../../src/backup/encryptionSetting/backupEncryption';
import { backupErrorFromResult } from '../../../src/backup/engine/backupFailure';
import { WrongPasswordError } from '../../../src/backup/crypto/cryptoErrors';
import { bundledKnowledgeBase, explainError, explainText } from '../../../src/doctor';
import { AfcError, BackupError, LockdownError, PairingError, ServiceStartError } from '../../../src/common/errors';
import { lockdownErrorFor } from '../../../src/lockdown/lockdownErrors';
import { muxErrorFromResult, muxUnreachableError } from '../../../src/usbmux/muxErrors';
import { restoreDisconnectedError, restoreInterruptedError, restoreSilentError } from '../../../src/restore/restoreFailure';

/** The entry ids of the report's findings, in order. */
function ids(err: unknown): string[] {
  return explainError(err).findings.flatMap((f) => f.entryIds);
}

describe('doctor: explainError on the product\'s own errors', () => {
  it('BackupError.deviceErrorCode with the device\'s description', () => {
    const err = backupErrorFromResult({ errorCode: 211, errorDescription: 'Find My iPhone must be disabled before restoring (MBErrorDomain/211)' });
    const report = explainError(err);
    assert.equal(report.findings.length, 1);
    const f = report.findings[0];
    assert.deepEqual(f.origin, { errorName: 'BackupError', errorCode: 'backup.device-error.211', field: 'deviceErrorCode', causeDepth: 0 });
    assert.equal(f.location, undefined);
    assert.equal(f.parsed.code, 211);
    assert.equal(f.parsed.description, 'Find My iPhone must be disabled before restoring');
    assert.deepEqual(f.entryIds, ['mb-211-find-my']);
    assert.equal(report.recognised, true);
    assert.ok(report.entries['mb-211-find-my']);
  });

  it('a restore whose link dropped or whose device went silent is explained like the same backup failure (a bench row shows the cause)', () => {
    assert.deepEqual(ids(restoreInterruptedError(new Error('closed'))), ['link-dropped']);
    assert.deepEqual(ids(restoreDisconnectedError(undefined)), ['link-dropped']);
    assert.deepEqual(ids(restoreSilentError(new Error('timeout'))), ['device-not-ready']);
  });

  it('105: the device\'s text decides between the computer\'s and the device\'s disk; without text, the operation does', () => {
    assert.deepEqual(ids(backupErrorFromResult({ errorCode: 105, errorDescription: 'Insufficient free disk space on device to restore (10 < 20) (MBErrorDomain/105)' })), ['mb-105-device-disk']);
    assert.deepEqual(ids(backupErrorFromResult({ errorCode: 105 })), ['mb-105-host-disk']);
    assert.deepEqual(ids(new BackupError('The restore failed.', 'restore.device-error.105', 105)), ['mb-105-device-disk']);
  });

  it('the chain inside the description is explained too', () => {
    const err = backupErrorFromResult({
      errorCode: 205,
      errorDescription: 'Error reading backup properties (MBErrorDomain/205). Underlying error: Error deserializing properties: Cannot parse a NULL or zero-length data (MBErrorDomain/11).',
    });
    const f = explainError(err).findings[0];
    assert.deepEqual(f.entryIds, ['mb-205-backup-properties', 'mb-11-empty-plist']);
    assert.deepEqual(f.parsed.underlying.map((u) => u.code), [11]);
  });

  it('a product error code wins over the number it carries (Hello code 1 is a version mismatch)', () => {
    assert.deepEqual(ids(new BackupError('The device does not speak any mobilebackup2 protocol version this tool supports (2.0 or 2.1).', 'backup.protocol-version', 1)), ['mb2-version-exchange']);
    assert.deepEqual(ids(new BackupError('The device disconnected during the backup; check the cable and try again.', 'backup.device-disconnected')), ['link-dropped']);
    assert.deepEqual(ids(new BackupError('Another computer or app is syncing with the device.', 'backup.sync-lock-busy')), ['sync-lock-busy']);
  });

  it('encryption: the "password could not be set" problem, and a wrong current password with and without the device\'s 207', () => {
    const couldNotBeSet = explainError(new PasswordCouldNotBeSetError('00008110-000A1B2C3D4E801E', 1));
    assert.deepEqual(couldNotBeSet.findings.map((f) => [f.origin?.field, f.entryIds]), [['code', ['itunes-password-could-not-be-set']]]);
    assert.deepEqual(ids(new WrongPasswordError()), ['itunes-password-incorrect']);
    const changeRefused = explainError(new BackupError('The current backup password is incorrect, so encryption was not changed.', 'backup.wrong-password', 207));
    assert.deepEqual(changeRefused.findings.map((f) => [f.origin?.field, f.entryIds]), [
      ['code', ['itunes-password-incorrect']],
      ['deviceErrorCode', ['mb-207-change-password']],
    ]);
  });

  it('LockdownError.lockdownCode, ServiceStartError.lockdownCode and PairingError codes', () => {
    assert.deepEqual(ids(new LockdownError('The request needs a lockdown session, and none is active.', 'SessionInactive', 'StartService')), ['lockdown-session-state']);
    assert.deepEqual(ids(new ServiceStartError('The device did not start com.apple.mobilebackup2.', 'com.apple.mobilebackup2', 'PasswordProtected')), ['lockdown-password-protected']);
    const pairing = lockdownErrorFor('InvalidHostID', 'StartSession', '00008110-000A1B2C3D4E801E');
    assert.ok(pairing instanceof PairingError);
    const f = explainError(pairing).findings[0];
    assert.deepEqual(f.entryIds, ['lockdown-invalid-host-id']);
    assert.equal(f.origin?.field, 'code');
    assert.deepEqual(ids(new PairingError('This computer is not paired.', 'not-paired')), ['lockdown-pair-record']);
    assert.deepEqual(ids(new PairingError('Nobody tapped Trust.', 'trust-timeout')), ['lockdown-pairing-dialog-pending']);
  });

  it('MuxError codes and result numbers, AfcError status', () => {
    assert.deepEqual(ids(muxUnreachableError('UNIX:/var/run/usbmuxd', new Error('ENOENT'), 'linux')), ['usbmuxd-unreachable']);
    assert.deepEqual(ids(muxErrorFromResult(3, 'Connect', 'UNIX:/var/run/usbmuxd')), ['usbmuxd-connection-refused']);
    assert.deepEqual(ids(muxErrorFromResult(2, 'Connect', 'UNIX:/var/run/usbmuxd')), ['usbmuxd-no-device']);
    assert.deepEqual(ids(new AfcError('The device refused an AFC request.', 30, '/iTunesRestore')), ['afc-itunesrestore-mux']);
  });

  it('follows cause until a level is recognised', () => {
    const wrapped = new Error('Restore aborted', { cause: lockdownErrorFor('PasswordProtected', 'GetValue') });
    const report = explainError(wrapped);
    assert.deepEqual(report.findings.map((f) => [f.origin?.causeDepth, f.entryIds]), [[1, ['lockdown-password-protected']]]);
  });

  it('reads the message of anything else, and a thrown string', () => {
    assert.deepEqual(ids(new Error('idevicebackup2 exited with status 45')), ['mb-211-find-my']);
    assert.deepEqual(ids('ErrorCode 208: Device locked (MBErrorDomain/208)'), ['mb-208-device-locked']);
  });

  it('an unknown device code is unknown, with the code it parsed', () => {
    const report = explainError(new BackupError('The device stopped the backup with error 999: Something new.', 'backup.device-error.999', 999));
    const f = report.findings[0];
    assert.equal(report.recognised, false);
    assert.equal(f.parsed.code, 999);
    assert.deepEqual(f.entryIds, []);
    assert.match(f.notes[0].en, /MBErrorDomain\/999 is not in the knowledge base/);
  });

  it('an error with nothing known says so and shows what it parsed, without guessing', () => {
    const report = explainError(new BackupError('Cannot read an MBFile record because it is truncated.', 'backup.mbfile-malformed'));
    assert.equal(report.recognised, false);
    assert.equal(report.findings.length, 1);
    const f = report.findings[0];
    assert.deepEqual(f.entryIds, []);
    assert.equal(f.parsed.name, 'backup.mbfile-malformed');
    assert.equal(f.parsed.description, 'Cannot read an MBFile record because it is truncated.');
    assert.match(f.notes[0].en, /backup\.mbfile-malformed is not in the knowledge base/);
    assert.equal(explainError(undefined).findings[0].recognised, false);
  });

  it('our own sentences, pasted from the CLI output, are recognised too', () => {
    const kb = bundledKnowledgeBase();
    const textIds = (text: string) => explainText(text, kb).findings.flatMap((f) => f.entryIds);
    const cases: [string, string][] = [
      [lockdownErrorFor('PasswordProtected', 'GetValue').message, 'lockdown-password-protected'],
      [lockdownErrorFor('UserDeniedPairing', 'Pair').message, 'lockdown-user-denied-pairing'],
      [lockdownErrorFor('PairingDialogResponsePending', 'Pair').message, 'lockdown-pairing-dialog-pending'],
      [lockdownErrorFor('InvalidHostID', 'StartSession').message, 'lockdown-invalid-host-id'],
      [lockdownErrorFor('InvalidPairRecord', 'StartSession').message, 'lockdown-pair-record'],
      [lockdownErrorFor('MissingPairRecord', 'StartSession').message, 'lockdown-pair-record'],
      [lockdownErrorFor('SessionInactive', 'StartService').message, 'lockdown-session-state'],
      [lockdownErrorFor('InvalidService', 'StartService').message, 'lockdown-invalid-service'],
      [lockdownErrorFor('FMiPProtected', 'StartService').message, 'lockdown-fmip-protected'],
      [lockdownErrorFor('MCProtected', 'Pair').message, 'lockdown-mc-protected'],
      [lockdownErrorFor('MCChallengeRequired', 'Pair').message, 'lockdown-mc-protected'],
      [lockdownErrorFor('PairingProhibitedOverThisConnection', 'Pair').message, 'lockdown-pairing-prohibited-connection'],
      [lockdownErrorFor('MissingActivationRecord', 'StartService').message, 'lockdown-activation'],
      [muxUnreachableError('UNIX:/var/run/usbmuxd', undefined, 'linux').message, 'usbmuxd-unreachable'],
      [muxErrorFromResult(2, 'Connect', 'UNIX:/var/run/usbmuxd').message, 'usbmuxd-no-device'],
      [muxErrorFromResult(3, 'Connect', 'UNIX:/var/run/usbmuxd').message, 'usbmuxd-connection-refused'],
      [muxErrorFromResult(1, 'Connect', 'UNIX:/var/run/usbmuxd').message, 'usbmuxd-protocol-error'],
      [new PasswordCouldNotBeSetError('00008110-000A1B2C3D4E801E', 1).message, 'itunes-password-could-not-be-set'],
      [new WrongPasswordError().message, 'itunes-password-incorrect'],
    ];
    for (const [message, id] of cases) assert.ok(textIds(message).includes(id), `${id} from "${message}" (got ${textIds(message).join(', ') || 'nothing'})`);
  });
});
