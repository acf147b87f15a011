import type { Lang } from '../common/localizedText';
import type { FailureReport } from './failureReport';
import { primaryEntry } from './primaryEntry';

/** The doctor's answer cut to what fits in a notification: why it failed and the first thing to do. */
export interface ShortAdvice {
  entryId: string;
  title: string;
  /** One sentence: the first of the entry's cause, or its title when that sentence is too long. */
  cause: string;
  /** One sentence: the first of the entry's first fix, cut at a word when too long. */
  fix: string;
}

/** Longest sentence a notification shows whole; the full report is one click away. */
export const MAX_ADVICE_CHARS = 200;

/** The cause and first fix of the report's primary entry, one short sentence each; undefined when nothing was recognised. */
export function shortAdvice(report: FailureReport, lang: Lang): ShortAdvice | undefined {
  const entry = primaryEntry(report);
  if (!entry) return undefined;
  const title = entry.title[lang];
  const cause = firstSentence(entry.cause[lang], lang);
  // The schema requires at least one fix.
  const fix = firstSentence(entry.fix[0][lang], lang);
  return {
    entryId: entry.id,
    title,
    // The title is written to be short; a long first sentence of the cause would bury the fix.
    cause: cause.length <= MAX_ADVICE_CHARS ? cause : endSentence(title, lang),
    fix: fix.length <= MAX_ADVICE_CHARS ? fix : cutAtWord(fix, lang),
  };
}

/** The text up to its first sentence end (". " in English, "。" in Japanese), or all of it. */
function firstSentence(text: string, lang: Lang): string {
  const trimmed = text.trim();
  // The knowledge base writes no abbreviations with a period, so a period before a space ends a sentence.
  const end = lang === 'ja' ? /。/.exec(trimmed) : /[.!?](?=\s)/.exec(trimmed);
  return end ? trimmed.slice(0, end.index + 1) : trimmed;
}

/** A title as a sentence (titles carry no final punctuation). */
function endSentence(title: string, lang: Lang): string {
  return lang === 'ja' ? `${title}。` : `${title}.`;
}

/** Cuts a sentence to the limit at a word (or, in Japanese, anywhere) and marks the cut. */
function cutAtWord(text: string, lang: Lang): string {
  const room = text.slice(0, MAX_ADVICE_CHARS - 1);
  const space = room.lastIndexOf(' ');
  const cut = lang === 'en' && space > MAX_ADVICE_CHARS / 2 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:(]+$/, '')}…`;
}
