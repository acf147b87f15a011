import { SeededRandom } from './seededRandom';

/** Share of the files one generation changes (at least one file). */
const CHANGED_SHARE_PER_GENERATION = 0.02;

/** How many files one generation changes. */
export function filesChangedPerGeneration(fileCount: number): number {
  if (fileCount === 0) return 0;
  return Math.min(fileCount, Math.max(1, Math.round(fileCount * CHANGED_SHARE_PER_GENERATION)));
}

/** The file indices generation `generation` (≥ 1) changes: a deterministic sample without repeats. */
export function filesChangedIn(generation: number, fileCount: number, seed: number): number[] {
  const count = filesChangedPerGeneration(fileCount);
  const random = new SeededRandom(`iosbr-dataset-changes:${seed}:${generation}`);
  // A partial Fisher–Yates shuffle over a sparse map: O(count) memory however many files there are.
  const swapped = new Map<number, number>();
  const chosen: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + random.int(fileCount - i);
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    chosen.push(atJ);
  }
  return chosen;
}

/**
 * For each file, the last generation (1 … `generation`) that changed it, or 0 when it still has
 * its original content.
 */
export function contentVersions(generation: number, fileCount: number, seed: number): Uint32Array {
  const versions = new Uint32Array(fileCount);
  for (let g = 1; g <= generation; g++) {
    for (const index of filesChangedIn(g, fileCount, seed)) versions[index] = g;
  }
  return versions;
}
