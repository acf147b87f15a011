import * as vscode from 'vscode';
import { listBackups, type BackupSummary } from '../../backup/format/backupFolder';
import type { Logger } from '../../common/logger';
import type { ExtensionSettings } from '../settings/extensionSettings';
import { BackupFolderWatcher } from './backupFolderWatcher';

/** Where reading the backup folder stands. */
export type LibraryState = { kind: 'unread' } | { kind: 'read'; backups: BackupSummary[] } | { kind: 'failed'; error: Error };

/**
 * The local backups in the configured folder. Lists them on demand, keeps the last listing, and
 * re-lists when the folder changes on disk or the setting points somewhere else.
 */
export class BackupLibrary implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the listing may have changed. */
  readonly onDidChange = this.changed.event;
  private readonly watcher = new BackupFolderWatcher(() => this.invalidate());
  private readonly subscription: vscode.Disposable;
  private listing: Promise<BackupSummary[]> | undefined;
  private last: LibraryState = { kind: 'unread' };

  constructor(
    private readonly settings: ExtensionSettings,
    private readonly logger: Logger,
  ) {
    this.subscription = settings.onDidChange((key) => {
      if (key === 'backupFolder') this.invalidate();
    });
  }

  /** The backup root in use. */
  get root(): string {
    return this.settings.backupFolder();
  }

  /** The last listing's outcome. */
  get state(): LibraryState {
    return this.last;
  }

  /** The backups in the folder (one read shared by concurrent callers). */
  list(): Promise<BackupSummary[]> {
    this.listing ??= this.read();
    return this.listing;
  }

  /** Forgets the listing and tells the views to read again. */
  invalidate(): void {
    this.listing = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.watcher.dispose();
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async read(): Promise<BackupSummary[]> {
    const root = this.root;
    try {
      const backups = await listBackups(root);
      this.last = { kind: 'read', backups };
      this.logger.debug('backups listed', { root, count: backups.length });
      this.watcher.watch(root, backups.map((b) => b.dir));
      return backups;
    } catch (err) {
      this.last = { kind: 'failed', error: err as Error };
      this.logger.warn('cannot list backups', { root, reason: (err as Error).message });
      this.watcher.watch(root, []);
      throw err;
    }
  }
}
