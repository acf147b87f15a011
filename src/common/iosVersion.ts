import { UsageError } from './errors';

/** An iOS version as numeric components (16.1.2 → [16, 1, 2]). */
export type IosVersion = readonly number[];

const VERSION_TEXT = /^\d+(\.\d+)*$/;

/** Parses "16", "16.1" or "16.1.2"; returns undefined when the text is not a version. */
export function parseIosVersion(text: string): IosVersion | undefined {
  const trimmed = text.trim();
  if (!VERSION_TEXT.test(trimmed)) return undefined;
  return trimmed.split('.').map(Number);
}

/** True when the text is a dotted numeric version. */
export function isIosVersion(text: string): boolean {
  return parseIosVersion(text) !== undefined;
}

/**
 * Compares two versions component by component as numbers: negative when a < b, 0 when equal, positive when a > b.
 * Missing components count as 0 so 16.1 equals 16.1.0, and 16.10 is newer than 16.9 (a string compare gets that wrong).
 */
export function compareIosVersions(a: string, b: string): number {
  const left = requireVersion(a);
  const right = requireVersion(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

function requireVersion(text: string): IosVersion {
  const version = parseIosVersion(text);
  if (!version) throw new UsageError(`"${text}" is not an iOS version like 16.1 or 16.1.2.`);
  return version;
}
