import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { Debouncer } from '../util/debouncer';

/** Changes settle for this long before the backup list is read again (a backup writes thousands of files). */
const SETTLE_MS = 1000;

/**
 * Watches a backup root without recursion: the root itself (backups appear, disappear, are renamed)
 * and each backup folder's top level (Status.plist, Manifest.* and the in-progress marker change
 * there). The hashed-file subfolders are left alone, so a running backup costs no watcher events.
 */
export class BackupFolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly debouncer: Debouncer;

  constructor(onChange: () => void) {
    this.debouncer = new Debouncer(SETTLE_MS, onChange);
  }

  /** Watches `root` and the given backup folders, replacing what was watched before. */
  watch(root: string, backupDirs: readonly string[]): void {
    const wanted = new Set([root, ...backupDirs.map((d) => path.resolve(d))]);
    for (const [dir, watcher] of this.watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, () => this.debouncer.trigger());
        // A folder that is deleted while watched reports an error; the next listing re-arms the watch.
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(dir);
          this.debouncer.trigger();
        });
        this.watchers.set(dir, watcher);
      } catch {
        // A root that does not exist yet cannot be watched; the Refresh command and the next backup list it.
      }
    }
  }

  /** Closes every watcher. */
  dispose(): void {
    this.debouncer.dispose();
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
