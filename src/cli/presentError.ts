import { isBackupError, isCancelledError, isDeviceToolError, isUsageError } from '../common/errors';
import { fileSystemErrorCode, fileSystemErrorSentence } from '../common/fileSystemErrorText';
import type { Lang } from '../common/localizedText';
import { explainError, primaryEntry } from '../doctor';

/** Exit codes fixed by the CLI contract. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Turns any thrown value into the one sentence the CLI prints and the exit code it returns. */
export function presentError(err: unknown): { line: string; exitCode: number } {
  if (isUsageError(err)) return { line: err.message, exitCode: EXIT_USAGE };
  if (isCancelledError(err)) return { line: err.message, exitCode: EXIT_FAILED };
  if (isDeviceToolError(err)) return { line: err.message, exitCode: EXIT_FAILED };
  // A file-system failure nobody wrapped still gets a sentence that says what it means, not "ENOENT: …".
  if (fileSystemErrorCode(err) !== undefined) return { line: fileSystemErrorSentence(err), exitCode: EXIT_FAILED };
  const message = err instanceof Error ? err.message : String(err);
  return { line: `Unexpected failure: ${message}`, exitCode: EXIT_FAILED };
}

/**
 * The failure doctor's advice for a failed backup, encryption change or restore: the cause and what
 * to do, as lines printed after the one-sentence error. Empty for other errors and for failures the
 * doctor does not recognise (it never guesses).
 */
export function doctorAdvice(err: unknown, lang: Lang): string[] {
  if (!isBackupError(err)) return [];
  const entry = primaryEntry(explainError(err));
  if (!entry) return [];
  const lines = [`  ${lang === 'ja' ? '原因' : 'Why'}: ${entry.cause[lang]}`];
  for (const fix of entry.fix.slice(0, 3)) lines.push(`  ${lang === 'ja' ? '対処' : 'What to do'}: ${fix[lang]}`);
  lines.push(`  ${lang === 'ja' ? '詳細' : 'More'}: iosbr explain ${err.deviceErrorCode ?? entry.id}`);
  return lines;
}

/** Where and how a failure is reported: stderr's line writer, the language of the advice, and whether --debug asked for the stack. */
export interface FailureOutput {
  note(text: string): void;
  lang: Lang;
  debug: boolean;
}

/**
 * Reports a failure the one way every command does: its sentence, then `details` (the doctor's advice unless
 * the command knows better), then the stack with --debug. Returns the exit code the failure means.
 */
export function reportFailure(err: unknown, output: FailureOutput, details = doctorAdvice(err, output.lang)): number {
  const { line, exitCode } = presentError(err);
  for (const text of [line, ...details]) output.note(text);
  if (output.debug && err instanceof Error && err.stack) output.note(err.stack);
  return exitCode;
}
