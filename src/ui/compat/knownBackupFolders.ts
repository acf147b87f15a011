import type { BackupChoice } from './compatSources';

/**
 * The backup folders the Restore Compatibility panel may read and hand to a restore: those the Backups list
 * shows (the configured backup folder's listing) and those the engineer picked in the folder dialog during
 * this session. The page runs web content, so a folder it names is only a choice among these, never a path
 * to trust; anything else is refused. Folders compare as exact strings: the page only ever echoes a path the
 * host gave it, so any other spelling of a folder is not one the host offered.
 */
export class KnownBackupFolders {
  private listed: ReadonlySet<string> = new Set();
  private readonly picked = new Set<string>();

  /** Replaces the listed backups with the current listing. */
  setListed(backups: readonly Pick<BackupChoice, 'dir'>[]): void {
    this.listed = new Set(backups.map((b) => b.dir));
  }

  /** Remembers a folder the engineer picked in the folder dialog; it stays allowed until the extension stops. */
  addPicked(dir: string): void {
    this.picked.add(dir);
  }

  /** True for a listed or picked folder. */
  has(dir: string): boolean {
    return this.listed.has(dir) || this.picked.has(dir);
  }
}
