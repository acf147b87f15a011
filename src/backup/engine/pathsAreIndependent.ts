import * as path from 'node:path';
import { foldedPathKey } from '../transfer/foldedPath';

/**
 * True when no two of these absolute paths are the same and none lies inside another, so operations on
 * them can run in any order. Paths are compared by their folded key: on macOS and Windows "A" and "a",
 * or the composed and decomposed forms of "é", name the same entry. Linear in the number of paths
 * (times their depth): each path's ancestors are looked up in a set instead of comparing every pair.
 */
export function pathsAreIndependent(paths: readonly string[]): boolean {
  const keys = paths.map(foldedPathKey);
  const all = new Set(keys);
  if (all.size !== keys.length) return false;
  for (const p of keys) {
    for (let child = p, parent = path.dirname(p); parent !== child; child = parent, parent = path.dirname(parent)) {
      if (all.has(parent)) return false;
    }
  }
  return true;
}
