import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackupInspections } from './backupInspections';
import type { BackupLibrary } from './backupLibrary';
import { BackupDetailNode } from './backupDetailNode';
import { backupDetailsModel } from './backupDetailsModel';
import { BackupFolderProblemNode } from './backupFolderProblemNode';
import { BackupGroupNode } from './backupGroupNode';
import type { BackupNode } from './backupNode';
import { groupBackups } from './backupNodeModel';

/** Any node of the Backups view. */
export type BackupTreeNode = BackupGroupNode | BackupNode | BackupDetailNode | BackupFolderProblemNode;

/**
 * Maps the backup folder's listing to a tree grouped by device. A backup's details (management
 * state, apps, size, completeness) are read only when its node is expanded, so listing never waits
 * for an inspection.
 */
export class BackupsTreeProvider implements vscode.TreeDataProvider<BackupTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BackupTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  // The backup nodes of the last listing by resolved folder: VS Code refreshes one node only when
  // given the very object it was handed.
  private backupNodes = new Map<string, BackupNode>();

  /** `passwordChanges` fires with a backup folder whose saved password was remembered or forgotten. */
  constructor(
    private readonly library: BackupLibrary,
    private readonly inspections: BackupInspections,
    private readonly locale: string,
    passwordChanges: vscode.Event<string>,
  ) {
    this.subscriptions = [library.onDidChange(() => this.changed.fire(undefined)), passwordChanges((dir) => this.reinspect(dir))];
  }

  /**
   * Reads one backup again: its inspection used (or lacked) the password that just changed. Only
   * that backup's node is refreshed; one the view does not show is read when it is next expanded.
   */
  reinspect(dir: string): void {
    const folder = path.resolve(dir);
    this.inspections.forget(folder);
    const node = this.backupNodes.get(folder);
    if (node) this.changed.fire(node);
  }

  getTreeItem(node: BackupTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: BackupTreeNode): Promise<BackupTreeNode[]> {
    if (node) {
      if (node.kind === 'group' || node.kind === 'detail') return node.children;
      if (node.kind === 'backup') {
        const outcome = await this.inspections.get(node.model.dir, node.model.summary.encrypted);
        return backupDetailsModel(outcome).map((detail) => new BackupDetailNode(node, detail));
      }
      return [];
    }
    try {
      const groups = groupBackups(await this.library.list(), this.locale).map((g) => new BackupGroupNode(g));
      this.backupNodes = new Map(groups.flatMap((g) => g.children.map((b) => [path.resolve(b.model.dir), b] as const)));
      return groups;
    } catch (err) {
      this.backupNodes.clear();
      // A folder that cannot be read is a warning item with a retry, never a popup from here.
      return [new BackupFolderProblemNode(this.library.root, err as Error)];
    }
  }

  getParent(node: BackupTreeNode): BackupTreeNode | undefined {
    return node.kind === 'backup' || node.kind === 'detail' ? node.parent : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
