import * as assert from 'node:assert/strict';
import bundledData from '../../../src/doctor/knowledge/failures.json';
import { bundledKnowledgeBase, explainText, isKnowledgeBaseError, validateKnowledgeBase, type FailureKnowledgeBase } from '../../../src/doctor';

/** A deep copy of the shipped data, to break one field at a time. */
function copy(): { formatVersion: number; entries: Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify(bundledData)) as { formatVersion: number; entries: Record<string, unknown>[] };
}

function indexOf(data: { entries: Record<string, unknown>[] }, id: string): number {
  const i = data.entries.findIndex((e) => e.id === id);
  assert.ok(i >= 0, `entry ${id} exists`);
  return i;
}

/** The problems a broken knowledge base is refused with. */
function problemsOf(data: unknown): readonly string[] {
  try {
    validateKnowledgeBase(data, '(test)');
  } catch (err) {
    assert.ok(isKnowledgeBaseError(err), `expected KnowledgeBaseError, got ${String(err)}`);
    assert.equal(err.code, 'doctor.knowledge-base-invalid');
    return err.problems;
  }
  assert.fail('the broken knowledge base was accepted');
}

describe('failure knowledge base: the shipped data', () => {
  const kb: FailureKnowledgeBase = bundledKnowledgeBase();
  const codesOf = (domain: string) => new Set(kb.entries.flatMap((e) => (e.match.codes ?? []).filter((c) => c.domain === domain).map((c) => c.code)));

  it('validates against its schema and cross-checks', () => {
    assert.doesNotThrow(() => validateKnowledgeBase(JSON.parse(JSON.stringify(bundledData)), '(copy)'));
    assert.ok(kb.entries.length >= 70, `entries: ${kb.entries.length}`);
  });

  it('has an entry for every MBErrorDomain code docs/failure-sources.md#mberrordomain-codes and docs/protocol/mobilebackup2.md#error-codes mention', () => {
    const documented = [1, 2, 3, 4, 11, 17, 22, 28, 100, 102, 103, 104, 105, 200, 202, 204, 205, 207, 208, 211, 212, 213, 1001];
    const have = codesOf('MBErrorDomain');
    assert.deepEqual(documented.filter((c) => !have.has(c)), []);
  });

  it('says "undocumented" for the codes the document looked for and did not find', () => {
    for (const code of [17, 28, 202, 204, 213, 1001]) {
      const entries = kb.entries.filter((e) => e.match.codes?.some((c) => c.domain === 'MBErrorDomain' && c.code === code));
      assert.deepEqual(entries.map((e) => e.certainty), ['undocumented'], `code ${code}`);
    }
  });

  it('has every lockdownd Error string of docs/protocol/lockdown.md#error-strings, with the libimobiledevice numbers of docs/failure-sources.md#lockdown-and-connection-errors', () => {
    const names = [
      'InvalidResponse', 'MissingKey', 'MissingValue', 'GetProhibited', 'SetProhibited', 'RemoveProhibited', 'ImmutableValue',
      'PasswordProtected', 'UserDeniedPairing', 'PairingDialogResponsePending', 'MissingHostID', 'InvalidHostID', 'SessionActive',
      'SessionInactive', 'MissingSessionID', 'InvalidSessionID', 'MissingService', 'InvalidService', 'ServiceLimit', 'ServiceProhibited',
      'MissingPairRecord', 'SavePairRecordFailed', 'InvalidPairRecord', 'InvalidActivationRecord', 'MissingActivationRecord',
      'EscrowLocked', 'PairingProhibitedOverThisConnection', 'FMiPProtected', 'MCProtected', 'MCChallengeRequired', 'InvalidConnection',
    ];
    const have = new Set(kb.entries.flatMap((e) => e.match.names ?? []));
    assert.deepEqual(names.filter((n) => !have.has(n)), []);
    const numbered: [string, number, string][] = [
      ['PasswordProtected', -17, 'Password protected'],
      ['UserDeniedPairing', -18, 'User denied pairing'],
      ['PairingDialogResponsePending', -19, 'Pairing dialog response pending'],
      ['InvalidHostID', -21, 'Invalid HostID'],
      ['SessionInactive', -23, 'Session inactive'],
      ['MissingValue', -12, 'Missing value'],
    ];
    for (const [name, code, text] of numbered) {
      const entry = kb.entries.find((e) => e.match.names?.includes(name));
      assert.ok(entry?.match.codes?.some((c) => c.domain === 'lockdownd' && c.code === code && c.text === text), `${name} ${code} "${text}"`);
    }
    const legacy = kb.entries.find((e) => e.match.codes?.some((c) => c.domain === 'lockdownd-legacy' && c.code === -16));
    assert.ok(legacy?.match.names?.includes('InvalidHostID'), 'libimobiledevice 1.1.7 numbered InvalidHostID -16');
  });

  it('maps every host errno to its device code (idevicebackup2 errno_to_device_error)', () => {
    const expected: [string, number][] = [['ENOENT', -6], ['EEXIST', -7], ['ENOTDIR', -8], ['EISDIR', -9], ['ELOOP', -10], ['EIO', -11], ['ENOSPC', -15]];
    for (const [errno, code] of expected) {
      const entry = kb.entries.find((e) => e.match.tokens?.includes(errno));
      assert.ok(entry?.match.codes?.some((c) => c.domain === 'DLFileError' && c.code === code), `${errno} → ${code}`);
    }
    assert.ok(codesOf('DLFileError').has(-1), 'anything else → -1');
    assert.ok(codesOf('DLFileError').has(-13), 'multi-status wrapper -13');
  });

  it('writes every text in English and Japanese, the Japanese really Japanese', () => {
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
    for (const entry of kb.entries) {
      for (const text of [entry.title, entry.cause, ...entry.check, ...entry.fix, ...(entry.notes ?? [])]) {
        assert.ok(text.en.length > 0, entry.id);
        assert.match(text.ja, japanese, `${entry.id}: ${text.ja}`);
      }
      assert.ok(entry.sources.length > 0, entry.id);
    }
  });

  it('marks unconfirmed causes as such in the text', () => {
    for (const entry of kb.entries.filter((e) => e.certainty === 'unconfirmed' || e.certainty === 'single-report')) {
      assert.match(entry.cause.en, /unconfirmed|single report|not confirmed/i, entry.id);
      assert.match(entry.cause.ja, /未確認|1 件|確認されていない/, entry.id);
    }
  });

  it('recognises each entry from its own known messages, exactly as tools print them', () => {
    for (const entry of kb.entries.filter((e) => e.match.patterns && e.knownMessages)) {
      for (const message of entry.knownMessages ?? []) {
        const report = explainText(message, kb);
        const ids = report.findings.flatMap((f) => f.entryIds);
        assert.ok(ids.includes(entry.id), `${entry.id} from "${message}" (got ${ids.join(', ') || 'nothing'})`);
      }
    }
  });

  it('carries the "password could not be set" problem and the forgotten-password guidance', () => {
    const couldNotBeSet = kb.entries.find((e) => e.id === 'itunes-password-could-not-be-set');
    assert.ok(couldNotBeSet);
    assert.ok(couldNotBeSet.knownMessages?.includes('The password you entered to protect your iPhone backup could not be set. Please try again.'));
    assert.ok(couldNotBeSet.knownMessages?.includes('iPhoneのバックアップを保護するために入力したパスワードを設定できませんでした。やり直してください。'));
    // The workaround: let the unencrypted backup finish, then set the same password again.
    assert.ok(couldNotBeSet.fix.some((f) => /same password/.test(f.en) && /同じパスワード/.test(f.ja)));
    const forgotten = kb.entries.find((e) => e.id === 'forgotten-backup-password');
    assert.ok(forgotten?.fix.some((f) => /Reset All Settings/.test(f.en) && /すべての設定をリセット/.test(f.ja)));
  });
});

describe('failure knowledge base: broken data is refused with the exact field', () => {
  it('names a missing Japanese text', () => {
    const data = copy();
    const i = indexOf(data, 'mb-211-find-my');
    delete (data.entries[i].title as Record<string, string>).ja;
    assert.deepEqual(problemsOf(data), [`/entries/${i}/title/ja is required`]);
  });

  it('names a kind outside the list', () => {
    const data = copy();
    const i = indexOf(data, 'lockdown-invalid-host-id');
    data.entries[i].kind = 'cable';
    assert.deepEqual(problemsOf(data), [`/entries/${i}/kind must be one of mobilebackup, lockdown, device-file, connection, host-tool, itunes-finder`]);
  });

  it('names an unknown code domain', () => {
    const data = copy();
    const i = indexOf(data, 'mb-105-host-disk');
    ((data.entries[i].match as Record<string, unknown>).codes as Record<string, unknown>[])[0].domain = 'MobileBackup';
    const problems = problemsOf(data);
    assert.equal(problems.length, 1);
    assert.match(problems[0], new RegExp(`^/entries/${i}/match/codes/0/domain must be one of MBErrorDomain, lockdownd, `));
  });

  it('names a field that is not in the schema', () => {
    const data = copy();
    const i = indexOf(data, 'mb-208-device-locked');
    data.entries[i].severity = 'high';
    assert.deepEqual(problemsOf(data), [`/entries/${i}/severity is not allowed`]);
  });

  it('names an entry that gives no way to recognise it', () => {
    const data = copy();
    const i = indexOf(data, 'mb-212-setup-not-finished');
    data.entries[i].match = {};
    assert.deepEqual(problemsOf(data), [`/entries/${i}/match must name at least one way to recognise the entry`]);
  });

  it('names a pattern that is not a regular expression', () => {
    const data = copy();
    const i = indexOf(data, 'itunes-backup-corrupt');
    (data.entries[i].match as Record<string, string[]>).patterns = ['backup was (corrupt'];
    const problems = problemsOf(data);
    assert.equal(problems.length, 1);
    assert.match(problems[0], new RegExp(`^/entries/${i}/match/patterns/0 is not a valid regular expression \\(`));
  });

  it('names a repeated id, name and related entry that does not exist', () => {
    const data = copy();
    const first = indexOf(data, 'mb-3-snapshot');
    const second = indexOf(data, 'mb-4-status-plist-missing');
    data.entries[second].id = 'mb-3-snapshot';
    const relatedAt = indexOf(data, 'mb-11-empty-plist');
    data.entries[relatedAt].related = ['mb-999-nothing'];
    assert.deepEqual(problemsOf(data), [
      `/entries/${second}/id repeats mb-3-snapshot (already at /entries/${first}/id)`,
      `/entries/${relatedAt}/related/0 names unknown entry "mb-999-nothing"`,
    ]);
  });

  it('names a Japanese text that is the English one untranslated', () => {
    const data = copy();
    const i = indexOf(data, 'link-dropped');
    const cause = data.entries[i].cause as Record<string, string>;
    cause.ja = cause.en;
    assert.deepEqual(problemsOf(data), [`/entries/${i}/cause/ja is the English text untranslated`]);
  });

  it('names a wrong format version and a missing list', () => {
    assert.deepEqual(problemsOf({ formatVersion: 2, entries: [] }), ['/formatVersion must be 1', '/entries must have at least 1 items']);
    assert.deepEqual(problemsOf({ formatVersion: 1 }), ['/entries is required']);
  });
});
