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
