import * as assert from 'node:assert/strict';
import { bundledKnowledgeBase, explainError, explainText, formatFailureReport } from '../../../src/doctor';
import { LockdownError } from '../../../src/common/errors';

const kb = bundledKnowledgeBase();

describe('doctor: formatFailureReport', () => {
  const log = [
    'ErrorCode 211: Find My iPhone must be disabled before restoring (MBErrorDomain/211)',
    'Restore Failed (Error Code 211).',
  ].join('\n');

  it('English: line, parsed pieces, cause, check, fix and sources; a repeat refers back', () => {
    const text = formatFailureReport(explainText(log, kb), 'en').join('\n');
    assert.match(text, /^Line 1: ErrorCode 211: Find My iPhone must be disabled before restoring \(MBErrorDomain\/211\)$/m);
    assert.match(text, /^ {2}Parsed: MBErrorDomain\/211 "Find My iPhone must be disabled before restoring"$/m);
    assert.match(text, /^ {2}▶ Restore refused: Find My is on \[mb-211-find-my\]$/m);
    assert.match(text, /^ {4}Cause: The target device refuses a restore while Find My is turned on\.$/m);
    assert.match(text, /^ {4}Check:$/m);
    assert.match(text, /^ {4}Fix:$/m);
    assert.match(text, /^ {4}Sources: 2bf\/remove-mdm#3; /m);
    assert.match(text, /^Line 2: Restore Failed \(Error Code 211\)\.$/m);
    assert.match(text, /^ {2}▶ Restore refused: Find My is on \[mb-211-find-my\] \(explained above\)$/m);
    assert.match(text, /Recognised 2 failures in 2 lines\.$/);
  });

  it('Japanese: labels and texts in Japanese, the log line as written', () => {
    const text = formatFailureReport(explainText(log, kb), 'ja').join('\n');
    assert.match(text, /^行 1: ErrorCode 211: Find My iPhone/m);
    assert.match(text, /^ {2}解析結果: MBErrorDomain\/211 /m);
    assert.match(text, /^ {2}▶ 復元拒否: 「探す」がオンになっている \[mb-211-find-my\]$/m);
    assert.match(text, /^ {4}原因: 復元先デバイスで「探す」がオンになっていると/m);
    assert.match(text, /^ {4}確認すること:$/m);
    assert.match(text, /^ {4}対処:$/m);
    assert.match(text, /^ {4}出典: /m);
    assert.match(text, /上で説明済み/);
    assert.match(text, /2 行から 2 件の失敗を認識した。$/);
  });

  it('shows how an exit status was read, in both languages', () => {
    const report = explainText('idevicebackup2 exited with status 45', kb);
    assert.match(formatFailureReport(report, 'en').join('\n'), /Read as: Exit status 45 read as idevicebackup2's return value -211 \(the shell keeps it mod 256: 256 − 211 = 45\)/);
    assert.match(formatFailureReport(report, 'ja').join('\n'), /読み方: 終了ステータス 45 を idevicebackup2 の戻り値 -211 と読んだ/);
  });

  it('unknown: what was parsed, and that nothing is guessed', () => {
    const en = formatFailureReport(explainText('ErrorCode 999', kb), 'en');
    assert.deepEqual(en, [
      'Line 1: ErrorCode 999',
      '  Parsed: MBErrorDomain/999',
      '  Note: MBErrorDomain/999 is not in the knowledge base: its meaning is unknown, and no explanation is guessed.',
      'Parsed 1 item in 1 line; none is a known failure.',
    ]);
    const ja = formatFailureReport(explainText('ErrorCode 999', kb), 'ja');
    assert.equal(ja[2], '  注意: MBErrorDomain/999 は知識ベースにない。意味は不明で、推測による説明はしない。');
    assert.equal(ja[3], '1 行から 1 件を解析したが、既知の失敗として認識できたものはない。');
  });

  it('nothing at all: says what was looked for', () => {
    assert.deepEqual(formatFailureReport(explainText('all good', kb), 'en'), [
      'Nothing recognised in 1 line: no error codes, lockdownd errors, exit statuses or known messages were found.',
    ]);
  });

  it('certainty other than "reported" is shown', () => {
    const text = formatFailureReport(explainText('ErrorCode 2: _restoreRegularFiles:size: rename error: No such file or directory (MBErrorDomain/2)', kb), 'en').join('\n');
    assert.match(text, /^ {4}Certainty: single report$/m);
  });

  it('a thrown error: where it came from instead of a line', () => {
    const text = formatFailureReport(explainError(new LockdownError('The device is locked.', 'PasswordProtected', 'StartSession')), 'en');
    assert.equal(text[0], 'From: LockdownError (lockdown.PasswordProtected), field lockdownCode');
    assert.equal(text[text.length - 1], 'Recognised 1 failure.');
  });
});
