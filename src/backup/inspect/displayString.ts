import { getDate, getString, type PlistDict } from '../../plist';

/** Longest text taken from a backup file into a sentence; an organisation or profile name is far shorter. */
export const DISPLAY_STRING_MAX_CHARS = 200;

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides: any of them
// could move the terminal's cursor, hide text or break the one-line sentence an engineer reads.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string read from a backup file (hostile input) as it may appear in a message: unprintable characters
 * become spaces, runs of spaces collapse, and the text is cut to `maxChars` characters with an ellipsis.
 * Returns undefined when nothing printable is left, so "  " is treated like a missing name, and for a missing value.
 */
export function displayString(value: string | undefined, maxChars = DISPLAY_STRING_MAX_CHARS): string | undefined {
  if (value === undefined) return undefined;
  // Only the head is examined, so a 1 MiB string costs no more than a short one.
  const head = value.length > maxChars * 4 ? value.slice(0, maxChars * 4) : value;
  const cleaned = head.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned.length === 0) return undefined;
  const chars = Array.from(cleaned);
  if (chars.length <= maxChars && head.length === value.length) return cleaned;
  return `${chars.slice(0, maxChars).join('').trimEnd()}…`;
}

/** The shown text of the strings at the given keys of a dictionary from a backup, by property; a key without one is left out. */
export function displayStrings<P extends string>(dict: PlistDict, keys: Readonly<Record<P, string>>): Partial<Record<P, string>> {
  const shown: Partial<Record<P, string>> = {};
  for (const [property, key] of Object.entries(keys) as [P, string][]) {
    const text = displayString(getString(dict, key));
    if (text !== undefined) shown[property] = text;
  }
  return shown;
}

/** The date at key when it is one and a real point in time (a crafted plist may hold an invalid date). */
export function validDate(dict: PlistDict, key: string): Date | undefined {
  const date = getDate(dict, key);
  return date !== undefined && Number.isFinite(date.getTime()) ? date : undefined;
}
