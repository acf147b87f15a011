import type { FailureIndex } from './failureIndex';
import type { FailureFinding } from './failureReport';
import { readingsForBareNumber } from './numberReadings';
import { codeLabel, severalMeaningsNote, undocumentedNote, unknownNote } from './readingTexts';

/** A whole query longer than this is text to search, not a list of codes. */
const MAX_QUERY_CHARS = 200;
const NUMBER = /^[+-]?\d{1,10}$/;

/**
 * When the whole query is only codes and names ("211", "-211 45", "InvalidHostID", "ENOENT",
 * "usbmux.unreachable"), one finding per word; undefined when it is text to search line by line.
 */
export function bareQueryFindings(text: string, index: FailureIndex): FailureFinding[] | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_QUERY_CHARS || trimmed.includes('\n')) return undefined;
  const words = [...trimmed.matchAll(/[^\s,]+/g)];
  if (!words.every((w) => NUMBER.test(w[0]) || index.entryForQueryWord(w[0]) !== undefined)) return undefined;
  const offset = text.indexOf(trimmed);
  return words.map((w) => {
    const word = w[0];
    const location = { line: 1, start: offset + (w.index ?? 0), end: offset + (w.index ?? 0) + word.length, text: trimmed };
    if (NUMBER.test(word)) {
      const value = Number(word);
      const { readings, notes } = readingsForBareNumber(value, index);
      const entryIds = [...new Set(readings.flatMap((r) => r.entryIds))];
      const recognised = entryIds.some((id) => index.entry(id)?.certainty !== 'undocumented');
      if (entryIds.length === 0) notes.push(...readings.map((r) => unknownNote(codeLabel(r.domain, r.code))));
      else if (!recognised) notes.push(undocumentedNote());
      for (const r of readings) if (r.entryIds.length > 1) notes.push(severalMeaningsNote(r.domain, r.code));
      return { location, parsed: { form: 'number', code: value, underlying: [] }, readings, entryIds, recognised, notes };
    }
    const entry = index.entryForQueryWord(word)!;
    const isProductCode = index.entryForProductCode(word) === entry;
    return {
      location,
      parsed: { form: isProductCode ? 'product-error' : 'name', name: word, underlying: [] },
      readings: [],
      entryIds: [entry.id],
      recognised: entry.certainty !== 'undocumented',
      notes: [],
    };
  });
}
