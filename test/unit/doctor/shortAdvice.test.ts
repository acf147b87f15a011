import * as assert from 'node:assert/strict';
import { backupErrorFromResult } from '../../../src/backup/engine/backupFailure';
import { MAX_ADVICE_CHARS, bundledKnowledgeBase, explainError, explainText, primaryEntry, shortAdvice, type FailureEntry, type FailureFinding, type FailureReport } from '../../../src/doctor';

const kb = bundledKnowledgeBase();

/** A knowledge-base entry with the texts a test needs (both languages the same unless given). */
function entry(id: string, texts: { title?: string; cause: string; fix: string; causeJa?: string; fixJa?: string }, certainty: FailureEntry['certainty'] = 'reported'): FailureEntry {
  const title = texts.title ?? `Title of ${id}`;
  return {
    id,
    kind: 'mobilebackup',
    phases: ['restore'],
    certainty,
    match: {},
    title: { en: title, ja: `${title}（日本語）` },
    cause: { en: texts.cause, ja: texts.causeJa ?? texts.cause },
    check: [{ en: 'Check.', ja: '確認。' }],
    fix: [{ en: texts.fix, ja: texts.fixJa ?? texts.fix }, { en: 'A second fix.', ja: '二つ目の対処。' }],
    sources: ['test'],
  };
}

/** A report whose findings refer to these entries. */
function report(findings: { ids: string[]; recognised: boolean }[], entries: FailureEntry[]): FailureReport {
  const list: FailureFinding[] = findings.map((f) => ({ parsed: { form: 'message', underlying: [] }, readings: [], entryIds: f.ids, recognised: f.recognised, notes: [] }));
  return { findings: list, entries: Object.fromEntries(entries.map((e) => [e.id, e])), recognised: findings.some((f) => f.recognised), linesRead: 1, cutLines: 0, omittedFindings: 0 };
}

describe('doctor: shortAdvice and primaryEntry', () => {
  it('Find My (211) as idevicebackup2 prints it: the first sentence of the cause and of the first fix, in English and Japanese', () => {
    const r = explainText('ErrorCode 211: Find My iPhone must be disabled before restoring (MBErrorDomain/211)', kb);
    assert.deepEqual(shortAdvice(r, 'en'), {
      entryId: 'mb-211-find-my',
      title: 'Restore refused: Find My is on',
      cause: 'The target device refuses a restore while Find My is turned on.',
      fix: 'On the device: Settings > [name] > Find My, turn Find My off (needs the Apple ID password), restore, then turn it back on.',
    });
    const ja = shortAdvice(r, 'ja');
    assert.equal(ja?.cause, '復元先デバイスで「探す」がオンになっていると、デバイスが復元を拒否する。');
    assert.match(ja?.fix ?? '', /^デバイスで 設定 > \[ユーザ名\] > 探す から「探す」をオフにし/);
  });

  it('a cause of several sentences is cut after the first one (English "." and Japanese "。")', () => {
    const r = explainError(backupErrorFromResult({ errorCode: 105 }));
    const en = shortAdvice(r, 'en');
    assert.equal(en?.entryId, 'mb-105-host-disk');
    assert.equal(en?.cause, 'Before backing up, the device asks the host for its free space (and from iOS 14 may ask it to purge space); if the answer is too small it refuses.');
    assert.equal(shortAdvice(r, 'ja')?.cause, 'バックアップの前にデバイスはホストの空き容量を問い合わせ（iOS 14 以降は容量の解放を求めることもある）、足りなければ拒否する。');
  });

  it('an unknown code gets no advice: the doctor never guesses', () => {
    const r = explainText('ErrorCode 999: Something new (MBErrorDomain/999)', kb);
    assert.equal(r.recognised, false);
    assert.equal(primaryEntry(r), undefined);
    assert.equal(shortAdvice(r, 'en'), undefined);
  });

  it('the primary entry is the first documented entry of the first recognised finding', () => {
    const undocumented = entry('undocumented', { cause: 'Unknown.', fix: 'Nothing known.' }, 'undocumented');
    const unrecognisedFirst = entry('parsed-only', { cause: 'Not this one.', fix: 'No.' });
    const documented = entry('documented', { cause: 'This one.', fix: 'Yes.' });
    const r = report([{ ids: ['parsed-only'], recognised: false }, { ids: ['undocumented', 'documented'], recognised: true }], [undocumented, unrecognisedFirst, documented]);
    assert.equal(primaryEntry(r)?.id, 'documented');
    assert.equal(shortAdvice(r, 'en')?.cause, 'This one.');
  });

  it('a first sentence too long for a notification: the title stands for the cause, the fix is cut at a word', () => {
    const longCause = `The cause ${'goes on and on '.repeat(20)}until the end.`;
    const longFix = `Do ${'this and that '.repeat(20)}then retry.`;
    const long = entry('long', { title: 'Short title', cause: longCause, fix: longFix, causeJa: `${'長い原因の説明'.repeat(40)}。`, fixJa: `${'長い対処'.repeat(60)}。` });
    const r = report([{ ids: ['long'], recognised: true }], [long]);
    const en = shortAdvice(r, 'en');
    assert.equal(en?.cause, 'Short title.');
    assert.ok(en && en.fix.length <= MAX_ADVICE_CHARS, en?.fix);
    assert.match(en?.fix ?? '', /^Do this and that .*that…$/);
    const ja = shortAdvice(r, 'ja');
    assert.equal(ja?.cause, 'Short title（日本語）。');
    assert.equal(ja?.fix.length, MAX_ADVICE_CHARS);
    assert.ok(ja?.fix.endsWith('…'));
  });

  it('a sentence end needs a space after it: version numbers and paths stay whole', () => {
    const dotted = entry('dotted', { cause: 'iOS 16.1 asks for the passcode in /var/mobile/x.plist first. Then more.', fix: 'Run `iosbr verify-password <dir>` once.' });
    const advice = shortAdvice(report([{ ids: ['dotted'], recognised: true }], [dotted]), 'en');
    assert.equal(advice?.cause, 'iOS 16.1 asks for the passcode in /var/mobile/x.plist first.');
    assert.equal(advice?.fix, 'Run `iosbr verify-password <dir>` once.');
  });
});
