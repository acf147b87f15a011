/**
 * The first line of a saved device log: a syslog record header. package.json contributes the same
 * pattern as the language's `firstLine`; the editor also uses it to claim `.log` files, which VS
 * Code otherwise always gives to its generic Log language.
 */
export const DEVICE_LOG_FIRST_LINE = '^[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ [^\\[]+\\[\\d+\\] <\\w+>:';

const FIRST_LINE = new RegExp(DEVICE_LOG_FIRST_LINE);

/** True when a file's first line is a device log record. */
export function looksLikeDeviceLog(firstLine: string): boolean {
  return FIRST_LINE.test(firstLine);
}
