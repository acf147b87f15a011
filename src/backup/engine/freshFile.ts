import { promises as fs } from 'node:fs';

/**
 * Creates a new, empty file at `target` and opens it for writing. Any existing file there is
 * unlinked first and the new one is created exclusively, so the write lands in a fresh inode: a
 * staging file hard-linked to the previous backup is replaced, never modified in place.
 */
export async function createFreshFile(target: string): Promise<fs.FileHandle> {
  await fs.rm(target, { force: true });
  return fs.open(target, 'wx');
}

/** Writes `bytes` to a fresh file at `target` (see createFreshFile). */
export async function writeFreshFile(target: string, bytes: Uint8Array): Promise<void> {
  const handle = await createFreshFile(target);
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
}
