import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundledKnowledgeBase, explainStream, explainText, type FailureFinding, type FailureReport } from '../../../src/doctor';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'doctor');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const kb = bundledKnowledgeBase();

function only(report: FailureReport): FailureFinding {
  assert.equal(report.findings.length, 1, JSON.stringify(report.findings.map((f) => f.location?.text)));
  return report.findings[0];
}

/** [line, entry ids] of every finding, the compact shape most assertions need. */
function summary(report: FailureReport): [number | undefined, string[]][] {
  return report.findings.map((f) => [f.location?.line, f.entryIds]);
}

describe('doctor: explainText on messages as tools print them', () => {
  it('idevicebackup2 ErrorCode line: code, domain, description, span, explanation', () => {
    const line = 'ErrorCode 211: Find My iPhone must be disabled before restoring (MBErrorDomain/211)';
    const report = explainText(line, kb);
    const f = only(report);
    assert.deepEqual(f.location, { line: 1, start: 0, end: line.length, text: line });
    assert.equal(f.parsed.form, 'error-code');
    assert.equal(f.parsed.domain, 'MBErrorDomain');
    assert.equal(f.parsed.code, 211);
    assert.equal(f.parsed.description, 'Find My iPhone must be disabled before restoring');
    assert.deepEqual(f.entryIds, ['mb-211-find-my']);
    assert.equal(f.recognised, true);
    assert.equal(report.recognised, true);
    assert.match(report.entries['mb-211-find-my'].fix[0].en, /Find My/);
  });

  it('lockdownd by libimobiledevice text and number: "Invalid HostID (-21)"', () => {
    const line = 'ERROR: Could not connect to lockdownd: Invalid HostID (-21)';
    const f = only(explainText(line, kb));
    assert.equal(f.parsed.form, 'lockdown-error');
    assert.equal(f.parsed.code, -21);
    assert.equal(f.parsed.domain, 'lockdownd');
    assert.equal(f.location?.start, line.indexOf('Invalid HostID'));
    assert.equal(f.location?.end, line.length);
    assert.deepEqual(f.entryIds, ['lockdown-invalid-host-id']);
    assert.deepEqual(f.notes, []);
  });

  it('lockdownd text with an old number: the wording decides, and the difference is said', () => {
    const f = only(explainText('ERROR: Could not connect to lockdownd: Invalid HostID (-16)', kb));
    assert.deepEqual(f.entryIds, ['lockdown-invalid-host-id']);
    assert.equal(f.parsed.code, -16);
    assert.match(f.notes[0].en, /-16 differs from current libimobiledevice numbering \(-21/);
  });

  it('idevicebackup2 "Could not connect to lockdownd, error code -17" and the lockdownd name', () => {
    assert.deepEqual(only(explainText('ERROR: Could not connect to lockdownd, error code -17', kb)).entryIds, ['lockdown-password-protected']);
    assert.deepEqual(only(explainText('lockdownd answered StartService with Error: SessionInactive', kb)).entryIds, ['lockdown-session-state']);
    assert.deepEqual(only(explainText('Password protected (-17)', kb)).entryIds, ['lockdown-password-protected']);
  });

  it('one lockdownd number read in both numberings is one finding; StartService failures by wording; ErrorCode 0 is success', () => {
    const f = only(explainText('ERROR: Could not connect to lockdownd, error code -16', kb));
    assert.deepEqual(f.entryIds, ['lockdown-value-prohibited', 'lockdown-invalid-host-id']);
    assert.deepEqual(f.readings.map((r) => r.domain), ['lockdownd', 'lockdownd-legacy']);
    assert.deepEqual(only(explainText('ERROR: Could not start service com.apple.mobilebackup2: Password protected', kb)).entryIds, ['lockdown-password-protected']);
    assert.deepEqual(explainText('ErrorCode 0 (MBErrorDomain/0)', kb).findings, []);
  });

  it('"Restore Failed (Error Code 205)." lists the restore meanings of 205 only, and says it could not pick one', () => {
    const f = only(explainText('Restore Failed (Error Code 205).', kb));
    assert.equal(f.parsed.operation, 'restore');
    assert.equal(f.parsed.code, 205);
    assert.deepEqual(f.entryIds, ['mb-205-restore-download', 'mb-205-malformed-manifest']);
    assert.match(f.notes[0].en, /several known meanings.*failed restore/);
  });

  it('"Backup Failed (Error Code 105)." is the computer\'s disk, not the device\'s', () => {
    assert.deepEqual(only(explainText('Backup Failed (Error Code 105).', kb)).entryIds, ['mb-105-host-disk']);
  });

  it('iTunes: "backup was corrupt or not compatible"', () => {
    const f = only(explainText('iTunes could not restore the iPhone because the backup was corrupt or not compatible with the iPhone that is being restored.', kb));
    assert.equal(f.parsed.form, 'message');
    assert.deepEqual(f.entryIds, ['itunes-backup-corrupt']);
  });

  it('ErrorCode 105 with an underlying chain: the chain is parsed link by link', () => {
    const line = 'ErrorCode 105: Insufficient free disk space on drive to upload files (MBErrorDomain/105). Underlying error: No space left on device (NSPOSIXErrorDomain/28).';
    const f = only(explainText(line, kb));
    assert.equal(f.parsed.code, 105);
    assert.equal(f.parsed.description, 'Insufficient free disk space on drive to upload files');
    assert.deepEqual(f.parsed.underlying, [{ domain: 'NSPOSIXErrorDomain', code: 28, text: 'No space left on device', entryIds: [] }]);
    assert.deepEqual(f.entryIds, ['mb-105-host-disk']);
  });

  it('105 on the device side (restore) is told apart by its text', () => {
    const f = only(explainText('ErrorCode 105: Insufficient free disk space on device to restore (1073741824 < 5368709120) (MBErrorDomain/105)', kb));
    assert.deepEqual(f.entryIds, ['mb-105-device-disk']);
  });

  it('ErrorCode 1 with underlying MBErrorDomain/22: the MDM forced-encryption entry, and the chain link explained', () => {
    const f = only(explainText('ErrorCode 1: Error setting WillEncrypt value in lockdown. Underlying error: Cannot remove iTunes Backup Encryption - Encrypted Backup MDM setting present on device (MBErrorDomain/22).', kb));
    assert.equal(f.parsed.code, 1);
    assert.equal(f.parsed.description, 'Error setting WillEncrypt value in lockdown');
    assert.equal(f.parsed.underlying[0].code, 22);
    assert.deepEqual(f.parsed.underlying[0].entryIds, ['mb-1-will-encrypt-mdm']);
    assert.deepEqual(f.entryIds, ['mb-1-will-encrypt-mdm']);
  });

  it('ErrorCode 205 over underlying 11: both the main and the underlying entry, the main first', () => {
    const f = only(explainText('ErrorCode 205: Error reading backup properties (MBErrorDomain/205). Underlying error: Error deserializing properties: Cannot parse a NULL or zero-length data (MBErrorDomain/11).', kb));
    assert.deepEqual(f.entryIds, ['mb-205-backup-properties', 'mb-11-empty-plist']);
  });

  it('207: the restore password and the encryption password are told apart', () => {
    assert.deepEqual(only(explainText('ErrorCode 207: Invalid password (MBErrorDomain/207)', kb)).entryIds, ['mb-207-change-password']);
    assert.deepEqual(
      only(explainText('ErrorCode 207: Invalid password when restoring encrypted backup (MBErrorDomain/207). Underlying error: MKBKeyBagUnlock error (-3).', kb)).entryIds,
      ['mb-207-restore-password'],
    );
  });

  it('a pasted message without its code is still recognised', () => {
    assert.deepEqual(only(explainText('Find My iPhone must be disabled before restoring', kb)).entryIds, ['mb-211-find-my']);
    assert.deepEqual(only(explainText('No device found.', kb)).entryIds, ['usbmuxd-no-device']);
    // One message, two codes that print it: both are listed rather than one guessed.
    assert.deepEqual(only(explainText('Error reading backup properties', kb)).entryIds, ['mb-103-status-read', 'mb-205-backup-properties']);
  });

  it('the "password could not be set" problem, in English and in Japanese', () => {
    assert.deepEqual(only(explainText('The password you entered to protect your iPhone backup could not be set. Please try again.', kb)).entryIds, ['itunes-password-could-not-be-set']);
    assert.deepEqual(only(explainText('「iPhoneのバックアップを保護するために入力したパスワードを設定できませんでした。やり直してください。」', kb)).entryIds, ['itunes-password-could-not-be-set']);
    assert.deepEqual(only(explainText('I forgot my backup password', kb)).entryIds, ['forgotten-backup-password']);
  });
});

describe('doctor: exit statuses and bare codes, read out loud', () => {
  it('"idevicebackup2 exited with status 45" is −211 mod 256, and says so', () => {
    const f = only(explainText('idevicebackup2 exited with status 45', kb));
    assert.equal(f.parsed.form, 'exit-status');
    assert.equal(f.parsed.exitStatus, 45);
    assert.deepEqual(f.entryIds, ['mb-211-find-my']);
    assert.equal(f.readings.length, 1);
    assert.equal(f.readings[0].route, 'exit-status');
    assert.equal(f.readings[0].code, 211);
    assert.match(f.readings[0].explanation.en, /Exit status 45 read as idevicebackup2's return value -211 \(the shell keeps it mod 256: 256 − 211 = 45\), i\.e\. MBErrorDomain\/211/);
    assert.match(f.readings[0].explanation.ja, /終了ステータス 45 を idevicebackup2 の戻り値 -211 と読んだ/);
  });

  it('other exit-status spellings: 151 → 105, -211 in-process, 255 → setup failure or code 1', () => {
    assert.deepEqual(only(explainText('backup script: process exited with code 151', kb)).readings.map((r) => r.code), [105]);
    assert.deepEqual(only(explainText('idevicebackup2 exit code: -211', kb)).entryIds, ['mb-211-find-my']);
    const f = only(explainText('idevicebackup2 exited with status 255', kb));
    assert.deepEqual(f.readings.map((r) => [r.domain, r.code]), [['MBErrorDomain', 1], ['idevicebackup2-return', -1]]);
    assert.ok(f.entryIds.includes('ib2-setup-failure'));
  });

  it('exit status 0 is success and an impossible status is not read as one', () => {
    const ok = only(explainText('exited with status 0', kb));
    assert.equal(ok.recognised, false);
    assert.match(ok.notes[0].en, /means success/);
    assert.match(only(explainText('exit status 300', kb)).notes[0].en, /not a possible exit status/);
  });

  it('bare 211, -211 and 45 are all Find My, each with how it was read', () => {
    for (const [query, route] of [['211', 'as-written'], ['-211', 'negated-return'], ['45', 'exit-status']] as const) {
      const f = only(explainText(query, kb));
      assert.equal(f.parsed.form, 'number');
      assert.deepEqual(f.entryIds, ['mb-211-find-my'], query);
      assert.deepEqual(f.readings.map((r) => r.route), [route], query);
    }
  });

  it('several bare codes and names in one query: one finding each, with its span', () => {
    const report = explainText(' 211, InvalidHostID  ENOENT ', kb);
    assert.deepEqual(report.findings.map((f) => [f.location?.start, f.location?.end, f.entryIds[0]]), [
      [1, 4, 'mb-211-find-my'],
      [6, 19, 'lockdown-invalid-host-id'],
      [21, 27, 'dl-file-enoent'],
    ]);
  });

  it('a bare code with several meanings lists them all and says why', () => {
    const f = only(explainText('105', kb));
    assert.deepEqual(f.entryIds, ['mb-105-host-disk', 'mb-105-device-disk']);
    assert.match(f.notes[0].en, /several known meanings/);
  });

  it('-16: both libimobiledevice numberings are shown, each labelled', () => {
    const f = only(explainText('-16', kb));
    assert.deepEqual(f.readings.map((r) => r.domain), ['lockdownd', 'lockdownd-legacy']);
    assert.deepEqual(f.entryIds, ['lockdown-value-prohibited', 'lockdown-invalid-host-id']);
  });

  it('"ErrorCode 999" is unknown: the parsed code is shown and nothing is guessed', () => {
    const report = explainText('ErrorCode 999', kb);
    const f = only(report);
    assert.equal(report.recognised, false);
    assert.equal(f.recognised, false);
    assert.equal(f.parsed.domain, 'MBErrorDomain');
    assert.equal(f.parsed.code, 999);
    assert.deepEqual(f.entryIds, []);
    assert.deepEqual(report.entries, {});
    assert.match(f.notes[0].en, /MBErrorDomain\/999 is not in the knowledge base: its meaning is unknown, and no explanation is guessed/);
  });

  it('a bare unknown number shows every reading that was tried', () => {
    const f = only(explainText('150', kb));
    assert.equal(f.recognised, false);
    assert.deepEqual(f.readings.map((r) => [r.route, r.code]), [['as-written', 150], ['exit-status', 106]]);
    assert.equal(f.notes.length, 2);
  });

  it('an undocumented code is listed with its entry but not counted as recognised', () => {
    const report = explainText('204', kb);
    const f = only(report);
    assert.deepEqual(f.entryIds, ['mb-undocumented-codes']);
    assert.equal(f.recognised, false);
    assert.equal(report.recognised, false);
  });

  it('text with nothing in it: no findings', () => {
    const report = explainText('The customer says the phone is slow since yesterday.\nNo errors shown.', kb);
    assert.deepEqual(report.findings, []);
    assert.equal(report.linesRead, 2);
    assert.equal(report.recognised, false);
  });
});

describe('doctor: whole logs (fixtures)', () => {
  it('an idevicebackup2 restore log: the error line, the Failed line and the shell\'s exit status', () => {
    const report = explainText(fixture('idevicebackup2-restore-find-my.log'), kb);
    assert.deepEqual(summary(report), [[9, ['mb-211-find-my']], [10, ['mb-211-find-my']], [12, ['mb-211-find-my']]]);
    assert.equal(report.linesRead, 12);
    assert.deepEqual(report.findings.map((f) => f.parsed.form), ['error-code', 'error-code', 'exit-status']);
  });

  it('an idevicebackup2 backup log that ran out of disk space', () => {
    const report = explainText(fixture('idevicebackup2-backup-disk-full.log'), kb);
    assert.deepEqual(summary(report), [[12, ['mb-105-host-disk']], [14, ['mb-105-host-disk']]]);
    assert.equal(report.findings[0].parsed.underlying[0].code, 28);
  });

  it('a support session: lockdownd errors, idevicepair messages, the passcode wait, then 208', () => {
    const report = explainText(fixture('idevicebackup2-support-session.log'), kb);
    assert.deepEqual(summary(report), [
      [2, ['lockdown-password-protected']],
      [4, ['lockdown-password-protected']],
      [8, ['lockdown-invalid-host-id']],
      [12, ['lockdown-pairing-dialog-pending']],
      [20, ['ib2-waiting-for-passcode']],
      [21, ['device-not-ready']],
      [22, ['device-not-ready']],
      [23, ['mb-208-device-locked']],
      [25, ['mb-208-device-locked']],
    ]);
    // "-k PasswordProtected" (line 5) and "PasswordProtected: false" (line 6) are keys, not errors.
  });

  it('a device syslog with BackupAgent2 lines: NSError chains and MBErrorDomain:100', () => {
    const report = explainText(fixture('device-syslog-backup.log'), kb);
    assert.deepEqual(summary(report), [[4, ['mb-100-io']], [5, ['mb-100-io']], [7, ['mb-104-upload-errors']]]);
    const first = report.findings[0];
    assert.equal(first.parsed.description, 'Input/output error (5)');
    assert.deepEqual(first.parsed.underlying.map((u) => [u.domain, u.code, u.text]), [['NSPOSIXErrorDomain', 5, 'Input/output error']]);
    assert.equal(report.findings[1].parsed.description, 'Failed to upload <private>');
  });

  it('our own CLI output: the device\'s description inside the sentence', () => {
    const report = explainText(fixture('iosbr-backup-failure.txt'), kb);
    assert.deepEqual(summary(report), [[5, ['mb-104-upload-errors']]]);
    assert.equal(report.findings[0].parsed.description, 'Multiple errors uploading files');
  });

  it('a pymobiledevice3 traceback', () => {
    const f = only(explainText(fixture('pymobiledevice3-restore-password.txt'), kb));
    assert.equal(f.location?.line, 4);
    assert.deepEqual(f.entryIds, ['mb-207-restore-password']);
    assert.deepEqual(f.parsed.underlying.map((u) => u.text), ['MKBKeyBagUnlock error (-3)']);
  });

  it('a macOS log after a Finder restore failed', () => {
    const report = explainText(fixture('macos-finder-restore.log'), kb);
    assert.deepEqual(summary(report), [[2, ['mb-200-finder-generic']]]);
    assert.equal(report.findings[0].parsed.description, '_stopWithError');
  });

  it('iTunes messages in English and Japanese', () => {
    const report = explainText(fixture('itunes-messages.txt'), kb);
    assert.deepEqual(summary(report), [
      [1, ['itunes-backup-corrupt']],
      [2, ['itunes-password-could-not-be-set']],
      [3, ['itunes-password-could-not-be-set']],
      [4, ['itunes-unlock-password-wrong']],
      [5, ['itunes-software-too-old']],
    ]);
  });

  it('never echoes a password that the log contains', () => {
    const report = explainText('Backup password: hunter2 ErrorCode 207: Invalid password (MBErrorDomain/207)\nBACKUP_PASSWORD="s3cret pass" Restore Failed (Error Code 207).', kb);
    const shown = JSON.stringify(report.findings);
    assert.equal(report.findings.length, 2);
    assert.doesNotMatch(shown, /hunter2|s3cret/);
    assert.match(shown, /\[redacted\]/);
  });
});

describe('doctor: bounded on huge inputs', () => {
  it('caps findings, counts the rest, and still reports the text recognised', () => {
    const line = 'ErrorCode 211: Find My iPhone must be disabled before restoring (MBErrorDomain/211)\n';
    const report = explainText(line.repeat(1000), kb, { maxFindings: 10 });
    assert.equal(report.findings.length, 10);
    assert.equal(report.omittedFindings, 990);
    assert.equal(report.linesRead, 1000);
    assert.equal(report.recognised, true);
    assert.deepEqual(Object.keys(report.entries), ['mb-211-find-my']);
  });

  it('examines only the start of an over-long line and says so', () => {
    const report = explainText(`${'x'.repeat(100_000)} ErrorCode 211: Find My iPhone must be disabled before restoring (MBErrorDomain/211)\nRestore Failed (Error Code 211).`, kb, { maxLineChars: 1000 });
    assert.equal(report.cutLines, 1);
    assert.deepEqual(summary(report), [[2, ['mb-211-find-my']]]);
  });

  it('streams a large log in chunks with bounded lines (a 2 MB line with no newline included)', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      const noise = Buffer.from('Mar 12 10:15:02 Support-iPhone kernel[0] <Notice>: nothing to see here\n');
      for (let i = 0; i < 20_000; i++) yield noise;
      for (let i = 0; i < 32; i++) yield Buffer.alloc(65_536, 0x61);
      yield Buffer.from('\nRestore Failed (Error Code 211).\n');
    }
    const started = Date.now();
    const report = await explainStream(chunks(), kb);
    assert.equal(report.linesRead, 20_002);
    assert.equal(report.cutLines, 1);
    assert.deepEqual(summary(report), [[20_002, ['mb-211-find-my']]]);
    assert.ok(Date.now() - started < 20_000, 'a 20,000-line log takes seconds, not minutes');
  });

  it('streams Japanese text split inside a character and a CRLF split between chunks', async () => {
    const bytes = Buffer.from('前の行\r\niPhoneのバックアップを保護するために入力したパスワードを設定できませんでした。\r\n');
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const report = await explainStream(chunks(), kb);
    assert.deepEqual(summary(report), [[2, ['itunes-password-could-not-be-set']]]);
    assert.equal(report.findings[0].location?.text.endsWith('\r'), false);
  });

  it('a stream holding a single short line is a query, like the command line', async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield '4';
      yield '5\n';
    }
    const f = only(await explainStream(chunks(), kb));
    assert.equal(f.parsed.form, 'number');
    assert.deepEqual(f.entryIds, ['mb-211-find-my']);
  });
});
