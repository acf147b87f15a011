import * as vscode from 'vscode';
import { BackupInspections } from './backupInspections';
import type { BackupLibrary } from './backupLibrary';
import type { BackupPasswordStore } from '../secrets/backupPasswordStore';
import { BackupsTreeProvider, type BackupTreeNode } from './backupsTreeProvider';

/** The Backups view's id in package.json. */
export const BACKUPS_VIEW_ID = 'iosbr.backups';
/** Context key for the Backups welcome content: empty | backups | failed. */
export const BACKUPS_STATE_CONTEXT = 'iosbr.backups.state';

/** Backups inspected at once when nodes are expanded (each encrypted one derives its key: seconds of CPU). */
const INSPECTION_CONCURRENCY = 2;
/** An inspection running longer than this is stopped and the node says so. */
const INSPECTION_TIME_LIMIT_MS = 120_000;

/** The Backups view: the tree, the folder it shows in its message, and the state its welcome content uses. */
export class BackupsView implements vscode.Disposable {
  readonly provider: BackupsTreeProvider;
  readonly treeView: vscode.TreeView<BackupTreeNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private shown = false;

  constructor(private readonly library: BackupLibrary, passwords: BackupPasswordStore, locale: string) {
    // Saved passwords only: expanding a node never asks for one.
    const inspections = new BackupInspections({
      // What a backup holds is read when a node is expanded: that code (plists, Manifest.db, the keybag) loads then.
      inspect: async (dir, options) => (await import('../../backup/inspect/inspectBackup')).inspectBackup(dir, options),
      savedPassword: (dir) => passwords.get(dir),
      concurrency: INSPECTION_CONCURRENCY,
      timeLimitMs: INSPECTION_TIME_LIMIT_MS,
    });
    // Saving or forgetting a password re-reads that backup's details without a manual Refresh.
    this.provider = new BackupsTreeProvider(library, inspections, locale, passwords.onDidChange);
    this.treeView = vscode.window.createTreeView(BACKUPS_VIEW_ID, { treeDataProvider: this.provider, canSelectMany: false });
    // The folder is read (and watched) once the view is first shown, not at activation: it can hold many
    // backups, or sit on a slow or sleeping disk, and most sessions start with the view closed.
    const showing = (): void => {
      if (this.shown) return;
      this.shown = true;
      void this.updateState();
    };
    this.disposables.push(
      inspections,
      this.provider,
      this.treeView,
      this.treeView.onDidChangeVisibility((e) => {
        if (e.visible) showing();
      }),
      library.onDidChange(() => {
        if (this.shown) void this.updateState();
      }),
    );
    if (this.treeView.visible) showing();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async updateState(): Promise<void> {
    let state: 'empty' | 'backups' | 'failed';
    try {
      state = (await this.library.list()).length ? 'backups' : 'empty';
    } catch {
      state = 'failed';
    }
    await vscode.commands.executeCommand('setContext', BACKUPS_STATE_CONTEXT, state);
    this.treeView.description = this.library.root;
  }
}
