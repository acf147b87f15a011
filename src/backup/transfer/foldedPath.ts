import * as path from 'node:path';

/**
 * The key two paths share when a case-insensitive or normalising file system (APFS, HFS+, NTFS)
 * would open the same entry for both: Unicode NFC (HFS+ stores names decomposed, APFS compares them
 * normalisation-insensitively) and a case fold. Upper-casing before lower-casing folds more pairs than
 * lower-casing alone (final and medial sigma, "ß" and "SS"); a guard that decides "same or nested"
 * only ever gets more careful when it folds too much.
 */
export function foldedPathKey(value: string): string {
  return value.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/**
 * True when `candidate` is `folder` itself or lies below it on a file system that folds case and
 * Unicode normalisation (both absolute). On a case-sensitive one this also says yes for paths that only
 * differ in case, which is the safe answer for a guard against copying a folder into itself.
 */
export function isSameOrInsideFolded(folder: string, candidate: string): boolean {
  const relative = path.relative(foldedPathKey(folder), foldedPathKey(candidate));
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
