import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { throwIfCancelled, type CancellationTokenLike } from '../../common/cancellation';

/** What cloning a folder with hard links did. */
export interface HardLinkTreeResult {
  files: number;
  /** Files that could not be linked (another volume, a file system without links) and were copied. */
  copied: number;
  directories: number;
}

/** Link errors after which a copy is the only way to carry the file over. */
const LINK_UNSUPPORTED = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

/**
 * Recreates the folder tree of `source` under `destination` (which must exist) with every regular
 * file hard-linked, so the copy costs no file data. Symlinks and special files are left out; top-level
 * names in `skipTopLevel` are not carried over. The walk streams directory entries, so memory stays
 * flat with the number of files.
 */
export async function hardLinkTree(
  source: string,
  destination: string,
  options: { skipTopLevel?: readonly string[]; token?: CancellationTokenLike } = {},
): Promise<HardLinkTreeResult> {
  const result: HardLinkTreeResult = { files: 0, copied: 0, directories: 0 };
  const skip = new Set(options.skipTopLevel ?? []);
  const pending: Array<{ from: string; to: string; top: boolean }> = [{ from: source, to: destination, top: true }];
  while (pending.length > 0) {
    const { from, to, top } = pending.pop() as { from: string; to: string; top: boolean };
    for await (const entry of await fs.opendir(from)) {
      throwIfCancelled(options.token, 'Backup');
      if (top && skip.has(entry.name)) continue;
      const src = path.join(from, entry.name);
      const dst = path.join(to, entry.name);
      if (entry.isDirectory()) {
        await fs.mkdir(dst);
        result.directories++;
        pending.push({ from: src, to: dst, top: false });
      } else if (entry.isFile()) {
        try {
          await fs.link(src, dst);
        } catch (err) {
          if (!LINK_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
          await fs.copyFile(src, dst, fs.constants.COPYFILE_EXCL);
          result.copied++;
        }
        result.files++;
      }
    }
  }
  return result;
}
