import type { Lang } from '../common/localizedText';
import { explainError, primaryEntry } from '../doctor';
import { isBackupError } from '../common/errors';

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
