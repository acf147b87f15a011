import type { FactKey } from '../../compat/facts';
import { isIosVersion } from '../../common/iosVersion';
import type { FactAnswer } from './compatSelection';

/** How a fact is answered in the panel: a yes/no choice or a typed value. */
export type AnswerKind = 'boolean' | 'udid' | 'iosVersion';

/** The input each fact needs. */
export const ANSWER_KIND: Readonly<Record<FactKey, AnswerKind>> = {
  'source.udid': 'udid',
  'source.iosVersion': 'iosVersion',
  'source.supervisedAtBackup': 'boolean',
  'source.mdmEnrolledAtBackup': 'boolean',
  'target.udid': 'udid',
  'target.iosVersion': 'iosVersion',
  'target.supervised': 'boolean',
  'target.adeRestoreFromBackupAllowed': 'boolean',
};

/** Why a typed answer was refused, as a code the host turns into a localized sentence. */
export type AnswerProblem = 'not-boolean' | 'empty' | 'not-ios-version';

/** Checks an answer against its fact's kind and normalises it (trimmed text); the page is not trusted to have done so. */
export function checkAnswer(fact: FactKey, value: unknown): { ok: true; value: FactAnswer } | { ok: false; problem: AnswerProblem } {
  const kind = ANSWER_KIND[fact];
  if (kind === 'boolean') return typeof value === 'boolean' ? { ok: true, value } : { ok: false, problem: 'not-boolean' };
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return { ok: false, problem: 'empty' };
  // The evaluator rejects malformed versions with an exception; refusing them here keeps that from ever happening.
  if (kind === 'iosVersion' && !isIosVersion(text)) return { ok: false, problem: 'not-ios-version' };
  return { ok: true, value: text };
}
