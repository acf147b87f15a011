import * as assert from 'node:assert/strict';
import { evaluateRestore } from '../../../src/compat/evaluateRestore';
import type { SourceFacts, TargetFacts } from '../../../src/compat/facts';
import { bundledRules } from '../../../src/compat/loadRules';
import { isUsageError } from '../../../src/common/errors';

const rules = bundledRules();
const UDID_A = '00008110-000A1B2C3D4E801E';
const UDID_B = '00008030-001122334455667E';

/** A fully known restore of a supervised, enrolled iPhone onto another supervised one. */
const knownSource: SourceFacts = { udid: UDID_A, iosVersion: '16.1', supervisedAtBackup: true, mdmEnrolledAtBackup: true };
const knownTarget: TargetFacts = { udid: UDID_B, iosVersion: '16.2', supervised: true, adeRestoreFromBackupAllowed: true };

describe('compat: evaluateRestore', () => {
  it('picks the one cell and says yes when every fact is known and every precondition passes', () => {
    const report = evaluateRestore(rules, knownSource, knownTarget);
    assert.equal(report.cell?.id, 'supervised.different.target-supervised');
    assert.equal(report.supported, 'yes');
    assert.equal(report.agent, 'reauth');
    assert.equal(report.mdm, 'ok');
    assert.deepEqual(report.questions, []);
    assert.deepEqual(report.preconditions.map((p) => p.status), ['pass', 'pass', 'pass', 'pass']);
    assert.deepEqual(report.postRestoreActions.map((a) => a.id), ['reauthenticate-agent']);
    assert.equal(report.rules.documentVersion, '2.0');
  });

  it('gives the re-authentication steps and the △ explanation for reauth cells', () => {
    const [reauth] = evaluateRestore(rules, knownSource, knownTarget).postRestoreActions;
    assert.deepEqual(reauth.steps.map((s) => s.text.ja), ['端末のホームからポータルをタップ', 'エージェントを認証するをタップ', '起動して認証をタップ']);
    assert.deepEqual(reauth.steps.map((s) => s.text.en), ['On the device\'s Home screen, tap Portal.', 'Tap "Authenticate agent".', 'Tap "Launch and authenticate".']);
    assert.match(reauth.explanation.map((e) => e.ja).join(''), /前端末の認証になっているので再認証が必要/);
    assert.match(reauth.explanation.map((e) => e.ja).join(''), /前端末の方の位置情報が更新される事象が確認されています/);
    assert.match(reauth.explanation.map((e) => e.en).join(' '), /previous device's location/);
  });

  it('compares UDIDs case-insensitively to find the same device', () => {
    const report = evaluateRestore(rules, knownSource, { ...knownTarget, udid: UDID_A.toLowerCase() });
    assert.equal(report.cell?.id, 'supervised.same.target-supervised');
  });

  it('says no when a precondition fails even though the table says ○', () => {
    const report = evaluateRestore(rules, { ...knownSource, iosVersion: '16.10' }, { ...knownTarget, iosVersion: '16.9' });
    assert.equal(report.tableSupported, 'yes');
    assert.equal(report.supported, 'no');
    assert.equal(report.preconditions.find((p) => p.id === 'target-ios-not-older')?.status, 'fail');
  });

  it('says no for the unsupervised backup onto the same device now supervised, with the precondition failing too', () => {
    const report = evaluateRestore(
      rules,
      { ...knownSource, supervisedAtBackup: false },
      { ...knownTarget, udid: UDID_A },
    );
    assert.equal(report.cell?.id, 'unsupervised.same.target-supervised');
    assert.equal(report.supported, 'no');
    assert.equal(report.preconditions.find((p) => p.id === 'no-unsupervised-backup-to-same-supervised-device')?.status, 'fail');
    assert.deepEqual(report.alternativeActions.map((a) => a.id), ['kit-different-device']);
  });

  it('is unknown (not yes) while a precondition is unknown', () => {
    const report = evaluateRestore(rules, knownSource, { ...knownTarget, adeRestoreFromBackupAllowed: null });
    assert.equal(report.tableSupported, 'yes');
    assert.equal(report.supported, 'unknown');
    assert.deepEqual(report.questions.map((q) => q.fact), ['target.adeRestoreFromBackupAllowed']);
    assert.deepEqual(report.questions[0].neededFor, ['ade-restore-from-backup-allowed']);
  });

  it('asks every question and guesses nothing when nothing is known', () => {
    const report = evaluateRestore(rules, {}, {});
    assert.equal(report.cell, null);
    assert.equal(report.candidates.length, 12);
    assert.equal(report.supported, 'unknown');
    assert.equal(report.tableSupported, 'unknown');
    assert.equal(report.agent, 'unknown');
    assert.equal(report.mdm, 'unknown');
    assert.equal(report.remarks, null);
    assert.deepEqual(report.postRestoreActions, []);
    assert.deepEqual(report.questions.map((q) => q.fact), [
      'source.mdmEnrolledAtBackup',
      'source.supervisedAtBackup',
      'source.udid',
      'source.iosVersion',
      'target.udid',
      'target.supervised',
      'target.iosVersion',
      'target.adeRestoreFromBackupAllowed',
    ]);
    for (const q of report.questions) assert.ok(q.text.en.endsWith('?') && q.text.ja.endsWith('？'), q.fact);
    assert.ok(report.preconditions.filter((p) => !p.informational).every((p) => p.status === 'unknown'));
  });

  it('narrows to the candidates the known facts allow and asks only what is still open', () => {
    const report = evaluateRestore(rules, { udid: UDID_A, mdmEnrolledAtBackup: true, iosVersion: '16.1' }, { udid: UDID_B, iosVersion: '17.0' });
    assert.equal(report.cell, null);
    assert.deepEqual(report.candidates.map((c) => c.id).sort(), [
      'supervised.different.target-supervised',
      'supervised.different.target-unsupervised',
      'unsupervised.different.target-supervised',
      'unsupervised.different.target-unsupervised',
    ]);
    // All four are ○ with △ agent: those are decided even though the cell is not.
    assert.equal(report.tableSupported, 'yes');
    assert.equal(report.agent, 'reauth');
    assert.equal(report.mdm, 'unknown');
    assert.deepEqual(report.postRestoreActions.map((a) => a.id), ['reauthenticate-agent']);
    const cellQuestions = report.questions.filter((q) => q.neededFor.includes('cell')).map((q) => q.fact);
    assert.deepEqual(cellQuestions, ['source.supervisedAtBackup', 'target.supervised']);
    assert.ok(!report.questions.some((q) => q.fact === 'source.mdmEnrolledAtBackup' || q.fact.endsWith('udid') || q.fact.endsWith('iosVersion')));
  });

  it('does not ask about supervision at backup for a backup without MDM, unless a precondition needs it', () => {
    const report = evaluateRestore(rules, { udid: UDID_A, mdmEnrolledAtBackup: false, iosVersion: '16.1' }, { udid: UDID_B, supervised: false, iosVersion: '16.1' });
    assert.equal(report.cell?.id, 'no-mdm.different.target-unsupervised');
    assert.equal(report.supported, 'yes');
    assert.deepEqual(report.questions, []);
  });

  it('asks for the missing UDID when same/different device is open', () => {
    const report = evaluateRestore(rules, { ...knownSource, udid: null }, knownTarget);
    assert.deepEqual(report.candidates.map((c) => c.id), ['supervised.same.target-supervised', 'supervised.different.target-supervised']);
    assert.deepEqual(report.questions.map((q) => q.fact), ['source.udid']);
    assert.equal(report.supported, 'yes');
    assert.equal(report.agent, 'unknown');
  });

  it('refuses a malformed iOS version instead of guessing', () => {
    assert.throws(() => evaluateRestore(rules, { iosVersion: '16.1 beta' }, {}), (e: unknown) => isUsageError(e) && /source\.iosVersion/.test(e.message));
  });
});
