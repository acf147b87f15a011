import * as assert from 'node:assert/strict';
import type { RestoreSituation } from '../../../src/compat/facts';
import { bundledRules } from '../../../src/compat/loadRules';
import { evaluatePrecondition, type PreconditionResult } from '../../../src/compat/preconditionChecks';
import type { PreconditionCheck } from '../../../src/compat/rulesModel';

const rules = bundledRules();

function check(kind: PreconditionCheck, situation: Partial<RestoreSituation>): PreconditionResult {
  const precondition = rules.preconditions.find((p) => p.check === kind);
  assert.ok(precondition, `the bundled rules have a ${kind} precondition`);
  return evaluatePrecondition(precondition, { sameDeviceUnknownBecause: [], ...situation });
}

function assertBilingualWhy(result: PreconditionResult): void {
  assert.ok(result.why.en.length > 0 && result.why.ja.length > 0, 'why is given in both languages');
}

describe('compat: preconditions', () => {
  it('lists the four preconditions of the document, with its Japanese text', () => {
    assert.deepEqual(rules.preconditions.map((p) => p.text.ja), [
      '復元先の端末が、バックアップ端末のOSより古い場合、復元先の端末はOSのアップデートが必要となります。',
      '復元はバックアップ時の状態を反映します。',
      '非監視対象端末でバックアップ、監視対象端末に復元を行う場合は、同一端末では実施できません。別の端末でキッティングしてください。',
      '監視対象端末の場合、管理サイトの「ADE 定義プロファイル」設定で「バックアップからの復元を有効にしない」が「いいえ」になっていることが必須となります。',
    ]);
  });

  describe('target iOS must not be older than the backup iOS', () => {
    const kind = 'target-ios-at-least-backup-ios';

    it('fails for the document example (target 14.0, backup 16.1) and says to update to 16.1 or later', () => {
      const r = check(kind, { sourceIosVersion: '16.1', targetIosVersion: '14.0' });
      assert.equal(r.status, 'fail');
      assert.match(r.why.en, /iOS 16\.1 or later/);
      assert.match(r.why.ja, /iOS 16\.1 以上/);
      assertBilingualWhy(r);
    });

    it('passes for the reverse example (target 16.1, backup 14.0)', () => {
      const r = check(kind, { sourceIosVersion: '14.0', targetIosVersion: '16.1' });
      assert.equal(r.status, 'pass');
      assertBilingualWhy(r);
    });

    it('passes for equal versions written differently and compares numerically', () => {
      assert.equal(check(kind, { sourceIosVersion: '16.1', targetIosVersion: '16.1.0' }).status, 'pass');
      assert.equal(check(kind, { sourceIosVersion: '16.9', targetIosVersion: '16.10' }).status, 'pass');
      assert.equal(check(kind, { sourceIosVersion: '16.10', targetIosVersion: '16.9' }).status, 'fail');
    });

    it('is unknown and names the missing versions', () => {
      const r = check(kind, { sourceIosVersion: '16.1' });
      assert.equal(r.status, 'unknown');
      assert.deepEqual(r.missingFacts, ['target.iosVersion']);
      assert.deepEqual(check(kind, {}).missingFacts, ['source.iosVersion', 'target.iosVersion']);
      assertBilingualWhy(r);
    });
  });

  describe('no unsupervised backup onto the same device now supervised', () => {
    const kind = 'no-unsupervised-backup-to-same-supervised-device';

    it('fails when all three hold', () => {
      const r = check(kind, { sameDevice: true, sourceSupervisedAtBackup: false, targetSupervised: true });
      assert.equal(r.status, 'fail');
      assert.match(r.why.ja, /別の端末でキッティング/);
      assertBilingualWhy(r);
    });

    it('passes as soon as any one of them is known not to hold', () => {
      assert.equal(check(kind, { sameDevice: false }).status, 'pass');
      assert.equal(check(kind, { targetSupervised: false }).status, 'pass');
      assert.equal(check(kind, { sourceSupervisedAtBackup: true }).status, 'pass');
      assert.equal(check(kind, { sameDevice: true, sourceSupervisedAtBackup: true, targetSupervised: true }).status, 'pass');
    });

    it('is unknown otherwise and names exactly the missing facts', () => {
      const r = check(kind, { sameDevice: true, targetSupervised: true });
      assert.equal(r.status, 'unknown');
      assert.deepEqual(r.missingFacts, ['source.supervisedAtBackup']);
      const r2 = check(kind, { sourceSupervisedAtBackup: false, targetSupervised: true, sameDeviceUnknownBecause: ['target.udid'] });
      assert.equal(r2.status, 'unknown');
      assert.deepEqual(r2.missingFacts, ['target.udid']);
      assertBilingualWhy(r2);
    });
  });

  describe('ADE definition profile must allow restore from backup on supervised targets', () => {
    const kind = 'ade-restore-from-backup-allowed';

    it('fails for a supervised target whose profile forbids restore', () => {
      const r = check(kind, { targetSupervised: true, adeRestoreFromBackupAllowed: false });
      assert.equal(r.status, 'fail');
      assert.match(r.why.ja, /いいえ/);
      assertBilingualWhy(r);
    });

    it('passes when allowed, or when the target is not supervised whatever the setting', () => {
      assert.equal(check(kind, { targetSupervised: true, adeRestoreFromBackupAllowed: true }).status, 'pass');
      assert.equal(check(kind, { targetSupervised: false, adeRestoreFromBackupAllowed: false }).status, 'pass');
      assert.equal(check(kind, { adeRestoreFromBackupAllowed: true }).status, 'pass');
    });

    it('is unknown when the setting or the supervision is missing', () => {
      assert.deepEqual(check(kind, { targetSupervised: true }).missingFacts, ['target.adeRestoreFromBackupAllowed']);
      const r = check(kind, { adeRestoreFromBackupAllowed: false });
      assert.equal(r.status, 'unknown');
      assert.deepEqual(r.missingFacts, ['target.supervised']);
      assert.deepEqual(check(kind, {}).missingFacts, ['target.supervised', 'target.adeRestoreFromBackupAllowed']);
    });
  });

  describe('a restore reproduces the backup-time state', () => {
    it('is informational and always passes', () => {
      const r = check('restore-reproduces-backup-state', {});
      assert.equal(r.status, 'pass');
      assert.equal(r.informational, true);
      assert.deepEqual(r.missingFacts, []);
      assertBilingualWhy(r);
    });
  });
});
