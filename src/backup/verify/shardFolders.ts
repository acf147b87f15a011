import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** What a shard folder (`<first two hex digits>/`) of a backup turned out to be. */
export type ShardFolderState = 'folder' | 'missing' | 'symlink' | 'not-a-folder';

/**
 * The shard folders of one backup, each looked at once (lstat, links not followed). Opening a content file
 * with `root` resolves every folder on its way again (a realpath of the backup, an lstat and a realpath of the
 * file), which for 300,000 files is most of the time spent outside reading; the 256 shard folders are all
 * there is between the backup folder and a content file, so checking each once, then opening the file itself
 * no-follow, keeps the same rule: nothing is read through a link.
 */
export class ShardFolders {
  private readonly states = new Map<string, Promise<ShardFolderState>>();

  /** The state of the folder holding `contentPath` (a path built by hashedFilePath, so one level below the backup). */
  stateOf(contentPath: string): Promise<ShardFolderState> {
    const shard = path.dirname(contentPath);
    let state = this.states.get(shard);
    if (state === undefined) {
      state = lookAt(shard);
      this.states.set(shard, state);
    }
    return state;
  }
}

async function lookAt(folder: string): Promise<ShardFolderState> {
  try {
    const stats = await fs.lstat(folder);
    if (stats.isSymbolicLink()) return 'symlink';
    return stats.isDirectory() ? 'folder' : 'not-a-folder';
  } catch {
    // ENOENT, or ENOTDIR from a file named like a shard: no content file can be in it either way.
    return 'missing';
  }
}
