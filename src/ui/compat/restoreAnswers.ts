import type { CompatAnswers } from '../../restore/restorePreflightFacts';
import type { FactKey } from '../../compat/facts';
import type { FactAnswers } from './compatSelection';

/** The yes/no facts a restore can take as answers, by the panel's fact key. */
export const RESTORE_ANSWER_FIELDS: Readonly<Partial<Record<FactKey, keyof CompatAnswers>>> = {
  'source.supervisedAtBackup': 'sourceSupervisedAtBackup',
  'source.mdmEnrolledAtBackup': 'sourceMdmEnrolledAtBackup',
  'target.supervised': 'targetSupervised',
  'target.adeRestoreFromBackupAllowed': 'adeRestoreFromBackupAllowed',
};

/**
 * The panel's answers in the restore checks' terms. Only yes/no answers carry over: the restore reads UDIDs and
 * iOS versions from the backup and the device itself, so typed ones are never allowed to override them.
 */
export function restoreAnswersFrom(answers: FactAnswers): CompatAnswers {
  const out: CompatAnswers = {};
  for (const [fact, field] of Object.entries(RESTORE_ANSWER_FIELDS) as [FactKey, keyof CompatAnswers][]) {
    const value = answers[fact];
    if (typeof value === 'boolean') out[field] = value;
  }
  return out;
}
