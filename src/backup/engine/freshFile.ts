import { promises as fs, rmSync, writeFileSync } from 'node:fs';
import { quickFileCalls } from '../transfer/quickFileCalls';

/**
 * Creates a new, empty file at `target` and opens it for writing. Any existing file there is
 * unlinked first and the new one is created exclusively, so the write lands in a fresh inode: a
 * staging file hard-linked to the previous backup is replaced, never modified in place.
 */
export async function createFreshFile(target: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(target, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // unlink removes a symlink itself, never what it points to.
  await fs.rm(target, { force: true });
  return fs.open(target, 'wx');
}

/**
 * Writes a small file in one go to a fresh inode (O_EXCL, as createFreshFile): on the main thread while
 * file calls are fast (quickFileCalls says why), else through the thread pool.
 */
export async function writeSmallFreshFile(target: string, bytes: Uint8Array): Promise<void> {
  await quickFileCalls.run(
    () => writeSmallFreshFileNow(target, bytes),
    () => writeSmallFreshFilePooled(target, bytes),
  );
}

function writeSmallFreshFileNow(target: string, bytes: Uint8Array): void {
  try {
    writeFileSync(target, bytes, { flag: 'wx' });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  rmSync(target, { force: true });
  writeFileSync(target, bytes, { flag: 'wx' });
}

async function writeSmallFreshFilePooled(target: string, bytes: Uint8Array): Promise<void> {
  try {
    await fs.writeFile(target, bytes, { flag: 'wx' });
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await fs.rm(target, { force: true });
  await fs.writeFile(target, bytes, { flag: 'wx' });
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
