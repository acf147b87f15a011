import { SeededRandom } from './seededRandom';

/** Share of all bytes held by the few large files (the rest is spread over the many small ones). */
const LARGE_FILES_SHARE = 0.5;
/** At most this many large files, however big the dataset. */
const MAX_LARGE_FILES = 8;
/** Roughly one large file per this many files. */
const FILES_PER_LARGE_FILE = 100;
/** Small-file weights span e^0 … e^SPREAD, so a few small files are hundreds of times bigger than most. */
const SMALL_SIZE_SPREAD = 6;

/** How many of `fileCount` files are large: none for a single file, else 1 … MAX_LARGE_FILES. */
export function largeFileCount(fileCount: number): number {
  if (fileCount < 2) return 0;
  return Math.min(MAX_LARGE_FILES, Math.max(1, Math.round(fileCount / FILES_PER_LARGE_FILE)));
}

/**
 * Sizes of `fileCount` files summing exactly to `totalBytes`: the first `largeFileCount` entries
 * share half of the bytes, the others share the rest with a heavy-tailed spread (many small
 * files, some medium ones). Deterministic in the seed.
 */
export function planFileSizes(fileCount: number, totalBytes: number, seed: number): number[] {
  if (fileCount === 0) return [];
  const random = new SeededRandom(`iosbr-dataset-sizes:${seed}`);
  const large = largeFileCount(fileCount);
  const largeWeights: number[] = [];
  for (let i = 0; i < large; i++) largeWeights.push(1 + random.next());
  const smallWeights: number[] = [];
  for (let i = large; i < fileCount; i++) smallWeights.push(Math.exp(random.next() * SMALL_SIZE_SPREAD));
  if (large === 0) return allocate(totalBytes, smallWeights);
  const largeBytes = large === fileCount ? totalBytes : Math.floor(totalBytes * LARGE_FILES_SHARE);
  return [...allocate(largeBytes, largeWeights), ...allocate(totalBytes - largeBytes, smallWeights)];
}

/** Splits `bytes` in proportion to `weights`, handing the rounding remainder out one byte at a time. */
function allocate(bytes: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((bytes * w) / sum));
  let remainder = bytes - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % sizes.length, remainder--) sizes[i]++;
  return sizes;
}
