/**
 * How many terminal columns a character takes: 2 for the East Asian wide and full-width ranges (Japanese text,
 * full-width forms, the common emoji blocks), 1 otherwise. A close approximation of wcwidth, enough to keep a
 * line of Japanese state words inside the terminal's width.
 */
function charColumns(codePoint: number): number {
  const wide =
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}

/** The columns a text takes on a terminal. */
export function textColumns(text: string): number {
  let columns = 0;
  for (const char of text) columns += charColumns(char.codePointAt(0) ?? 0);
  return columns;
}

/** The text cut to at most `columns` columns, with an ellipsis when something was cut. */
export function cutToColumns(text: string, columns: number): string {
  if (textColumns(text) <= columns) return text;
  let used = 0;
  let kept = '';
  for (const char of text) {
    const width = charColumns(char.codePointAt(0) ?? 0);
    // One column stays free for the ellipsis.
    if (used + width > columns - 1) break;
    kept += char;
    used += width;
  }
  return columns > 0 ? `${kept}…` : '';
}

/** The text padded with spaces to `columns` columns (a longer text is left as it is). */
export function padToColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - textColumns(text)));
}
