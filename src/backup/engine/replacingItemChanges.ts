import { promises as fs, renameSync } from 'node:fs';
import { quickFileCalls } from '../transfer/quickFileCalls';
import * as path from 'node:path';

// The moves and copies a device asks for during a backup or a restore replace whatever is at the
// destination. Both check the source first: a request for a missing item must not delete anything.

/**
 * Renames `from` to `to`, replacing an existing destination (recursively for folders). What the caller
 * already knows (from its own lstat of both paths) saves the calls that would only find it out again.
 */
export async function moveReplacing(from: string, to: string, known: { fromExists?: boolean; toExists?: boolean } = {}): Promise<void> {
  if (known.fromExists !== true) await fs.lstat(from);
  if (known.toExists !== false) await fs.rm(to, { recursive: true, force: true });
  try {
    // Thousands of these per backup (each finished file to its name): on the main thread while that is fast.
    await quickFileCalls.run(
      () => renameSync(from, to),
      () => fs.rename(from, to),
    );
  } catch (err) {
    // The destination's folder does not exist yet (the usual case is that it does, so it is made only now).
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
  }
}

/** Copies a file, or a folder tree of regular files, to `to` as new files, replacing an existing destination. */
export async function copyReplacing(from: string, to: string): Promise<void> {
  await fs.lstat(from);
  await fs.rm(to, { recursive: true, force: true });
  await copyRegularTree(from, to);
}

/**
 * Copies regular files and folders from `source` to `destination` as new files (never links, never
 * in-place overwrites); symlinks and special files are skipped, so a copy cannot create a way out.
 */
async function copyRegularTree(source: string, destination: string): Promise<void> {
  const stats = await fs.lstat(source);
  if (stats.isFile()) {
    await fs.mkdir(path.dirname(destination), { recursive: true });
    await fs.copyFile(source, destination, fs.constants.COPYFILE_EXCL);
    return;
  }
  if (!stats.isDirectory()) return;
  await fs.mkdir(destination, { recursive: true });
  for await (const entry of await fs.opendir(source)) {
    await copyRegularTree(path.join(source, entry.name), path.join(destination, entry.name));
  }
}
