import type { FactKey, RestoreSituation } from './facts';
import { compareIosVersions } from '../common/iosVersion';
import type { Precondition, PreconditionCheck } from './rulesModel';
import type { LocalizedText } from '../common/localizedText';

/** Outcome of one precondition: pass, fail, or unknown (some fact it needs is missing). */
export type PreconditionStatus = 'pass' | 'fail' | 'unknown';

/** One precondition of the rules, evaluated against a situation. */
export interface PreconditionResult {
  id: string;
  check: PreconditionCheck;
  /** The rule as the document states it. */
  text: LocalizedText;
  examples: LocalizedText[];
  status: PreconditionStatus;
  /** True for a statement about restores that has nothing to check (it always passes). */
  informational: boolean;
  /** Why this status, in terms of the facts given. */
  why: LocalizedText;
  /** The facts whose answers would settle an unknown status. */
  missingFacts: FactKey[];
}

interface CheckOutcome {
  status: PreconditionStatus;
  why: LocalizedText;
  missingFacts: FactKey[];
}

const CHECKS: Readonly<Record<PreconditionCheck, (s: RestoreSituation) => CheckOutcome>> = {
  'target-ios-at-least-backup-ios': checkTargetIosNotOlder,
  'restore-reproduces-backup-state': checkReproducesBackupState,
  'no-unsupervised-backup-to-same-supervised-device': checkNotUnsupervisedBackupToSameSupervisedDevice,
  'ade-restore-from-backup-allowed': checkAdeRestoreAllowed,
};

/** Evaluates one precondition of the rules against what is known. */
export function evaluatePrecondition(precondition: Precondition, situation: RestoreSituation): PreconditionResult {
  const outcome = CHECKS[precondition.check](situation);
  return {
    id: precondition.id,
    check: precondition.check,
    text: precondition.text,
    examples: precondition.examples,
    status: outcome.status,
    informational: precondition.check === 'restore-reproduces-backup-state',
    why: outcome.why,
    missingFacts: outcome.missingFacts,
  };
}

function checkTargetIosNotOlder(s: RestoreSituation): CheckOutcome {
  const missingFacts: FactKey[] = [];
  if (s.sourceIosVersion === undefined) missingFacts.push('source.iosVersion');
  if (s.targetIosVersion === undefined) missingFacts.push('target.iosVersion');
  if (s.sourceIosVersion === undefined || s.targetIosVersion === undefined) {
    return outcome(
      'unknown',
      'Both iOS versions (backup device and restore target) are needed to tell whether the target must be updated first.',
      '復元先の端末のOSアップデートが必要か判断するには、バックアップ端末と復元先の端末の両方のiOSバージョンが必要です。',
      missingFacts,
    );
  }
  const backup = s.sourceIosVersion;
  const target = s.targetIosVersion;
  if (compareIosVersions(target, backup) < 0) {
    return outcome(
      'fail',
      `The target runs iOS ${target}, older than the backup's iOS ${backup}: update the target to iOS ${backup} or later before restoring.`,
      `復元先の端末のiOS ${target} はバックアップ端末のiOS ${backup} より古いため、復元前に復元先の端末をiOS ${backup} 以上にアップデートする必要があります。`,
      missingFacts,
    );
  }
  return outcome(
    'pass',
    `The target runs iOS ${target}, the same as or newer than the backup's iOS ${backup}: no update is needed.`,
    `復元先の端末のiOS ${target} はバックアップ端末のiOS ${backup} 以上のため、OSアップデートは不要です。`,
    missingFacts,
  );
}

function checkReproducesBackupState(): CheckOutcome {
  return outcome(
    'pass',
    'Nothing to check: the restored device comes back in its backup-time state (supervision, MDM enrolment), which is why the outcome depends on the backup device\'s state.',
    '確認事項はありません。復元後の端末はバックアップ時の状態（監視対象かどうか・MDMの導入状態）になるため、結果はバックアップ端末の状態で決まります。',
  );
}

function checkNotUnsupervisedBackupToSameSupervisedDevice(s: RestoreSituation): CheckOutcome {
  // The restriction bites only when all three hold; any one known to be otherwise clears it.
  if (s.sameDevice === false) {
    return outcome('pass', 'The target is a different device, so this restriction does not apply.', '復元先は別の端末のため、この制限は該当しません。');
  }
  if (s.targetSupervised === false) {
    return outcome('pass', 'The target is not supervised, so this restriction does not apply.', '復元先の端末は非監視対象のため、この制限は該当しません。');
  }
  if (s.sourceSupervisedAtBackup === true) {
    return outcome('pass', 'The device was supervised when the backup was made, so this restriction does not apply.', 'バックアップ時に監視対象だったため、この制限は該当しません。');
  }
  if (s.sameDevice === true && s.targetSupervised === true && s.sourceSupervisedAtBackup === false) {
    return outcome(
      'fail',
      'The backup was made while the device was unsupervised and the target is that same device, now supervised: this cannot be done on the same device. Kit a different device instead.',
      '非監視対象の状態でバックアップした端末を、監視対象となった同一端末に復元しようとしています。同一端末では実施できないため、別の端末でキッティングしてください。',
    );
  }
  const missingFacts: FactKey[] = [];
  if (s.sourceSupervisedAtBackup === undefined) missingFacts.push('source.supervisedAtBackup');
  if (s.sameDevice === undefined) missingFacts.push(...s.sameDeviceUnknownBecause);
  if (s.targetSupervised === undefined) missingFacts.push('target.supervised');
  return outcome(
    'unknown',
    'Not known yet whether an unsupervised backup is going onto the same device now supervised: that needs supervision at backup time, whether the target is the same device, and whether it is supervised.',
    '非監視対象でバックアップした端末を、監視対象となった同一端末に復元するかどうかは未確定です。バックアップ時の監視状態、同一端末かどうか、復元先が監視対象かどうかが必要です。',
    missingFacts,
  );
}

function checkAdeRestoreAllowed(s: RestoreSituation): CheckOutcome {
  if (s.targetSupervised === false) {
    return outcome(
      'pass',
      'The target is not supervised, so the ADE definition profile setting does not apply.',
      '復元先の端末は非監視対象のため、「ADE 定義プロファイル」の設定は該当しません。',
    );
  }
  if (s.adeRestoreFromBackupAllowed === true) {
    return outcome(
      'pass',
      'The ADE definition profile has "Do not enable restore from backup" set to "No", so restoring from a backup is allowed.',
      '「ADE 定義プロファイル」の「バックアップからの復元を有効にしない」が「いいえ」のため、バックアップからの復元が可能です。',
    );
  }
  if (s.targetSupervised === true && s.adeRestoreFromBackupAllowed === false) {
    return outcome(
      'fail',
      'The target is supervised and the ADE definition profile does not allow restore from backup: set "Do not enable restore from backup" to "No" on the management site before restoring.',
      '復元先の端末は監視対象で、「ADE 定義プロファイル」でバックアップからの復元が許可されていません。復元前に管理サイトで「バックアップからの復元を有効にしない」を「いいえ」に設定してください。',
    );
  }
  const missingFacts: FactKey[] = [];
  if (s.targetSupervised === undefined) missingFacts.push('target.supervised');
  if (s.adeRestoreFromBackupAllowed === undefined) missingFacts.push('target.adeRestoreFromBackupAllowed');
  return outcome(
    'unknown',
    'For a supervised target, "Do not enable restore from backup" must be "No" in the ADE definition profile; that setting is not known yet.',
    '監視対象の復元先では「ADE 定義プロファイル」の「バックアップからの復元を有効にしない」が「いいえ」である必要がありますが、この設定はまだ確認されていません。',
    missingFacts,
  );
}

function outcome(status: CheckOutcome['status'], en: string, ja: string, missingFacts: FactKey[] = []): CheckOutcome {
  return { status, missingFacts, why: { en, ja } };
}
