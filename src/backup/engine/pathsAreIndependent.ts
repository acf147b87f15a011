import * as path from 'node:path';

/**
 * True when no two of these absolute paths are the same and none lies inside another, so operations on
 * them can run in any order. Linear in the number of paths (times their depth): each path's ancestors are
 * looked up in a set instead of comparing every pair.
 */
export function pathsAreIndependent(paths: readonly string[]): boolean {
  const all = new Set(paths);
  if (all.size !== paths.length) return false;
  for (const p of paths) {
    for (let child = p, parent = path.dirname(p); parent !== child; child = parent, parent = path.dirname(parent)) {
      if (all.has(parent)) return false;
    }
  }
  return true;
}
