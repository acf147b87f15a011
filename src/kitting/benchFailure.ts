import { isDeviceToolError } from '../common/errors';
import type { LocalizedText } from '../common/localizedText';
import { explainError, primaryEntry } from '../doctor';
import type { RestorePreflightResult } from '../restore/restorePreflight';
import type { Lang } from '../common/localizedText';
import type { BenchCheck, BenchFailure } from './benchRow';

/** A row shows at most this many next steps: the first things to try, the rest is in `iosbr explain`. */
const MAX_NEXT_STEPS = 3;

/**
 * Why a row failed, as the failure doctor explains the error: its one sentence, the product's error code, and
 * the doctor's cause and first fixes when it recognises the failure (it never guesses: unrecognised, both stay empty).
 */
export function benchFailureFromError(err: unknown): BenchFailure {
  const failure: BenchFailure = { sentence: err instanceof Error ? err.message : String(err), nextSteps: [] };
  if (isDeviceToolError(err)) failure.code = err.code;
  const entry = primaryEntry(explainError(err));
  if (entry) {
    failure.cause = entry.cause;
    failure.nextSteps = entry.fix.slice(0, MAX_NEXT_STEPS);
  }
  return failure;
}

/**
 * Why the restore checks refused a device: the first failed check's title as the cause (checks are titled by what must
 * hold), what it found as the finding, the failed checks' actions as next steps.
 */
export function benchFailureFromChecks(sentence: string, preflight: RestorePreflightResult): BenchFailure {
  const failed = preflight.checks.filter((c) => c.status === 'fail');
  const failure: BenchFailure = {
    sentence,
    code: 'restore.preflight-failed',
    nextSteps: failed.map((c) => c.action).filter((a): a is LocalizedText => a !== undefined).slice(0, MAX_NEXT_STEPS),
  };
  if (failed.length > 0) {
    failure.cause = failed[0].title;
    failure.finding = failed[0].sentence;
  }
  return failure;
}

/** The checks as a row shows them. */
export function benchChecks(preflight: RestorePreflightResult): BenchCheck[] {
  return preflight.checks.map((c) => ({ id: c.id, status: c.status, title: c.title }));
}

/**
 * A failure's cause in one line: for a refusal, the check that refused it and what it found (a check's title alone,
 * "Find My off", says what must hold, not what is wrong); for a failure, the doctor's cause, else the error's sentence.
 */
export function benchFailureCauseText(failure: BenchFailure, lang: Lang): string {
  if (failure.cause && failure.finding) return `${failure.cause[lang]}: ${failure.finding[lang]}`;
  return failure.cause?.[lang] ?? failure.sentence;
}
