/** A byte count for people: "512 B", "4.2 KB", "13.0 MB" (decimal units, as Finder shows them). */
export function formatByteCount(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A whole number with comma thousands separators ("1,234,567"), as `toLocaleString('en-US')` writes it. Progress
 * lines format counts on every event of every device; going through Intl for each showed in the bench's profile.
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = digits.slice(Math.max(0, end - 3), end) + (out ? `,${out}` : '');
  return n < 0 ? `-${out}` : out;
}
