import * as vscode from 'vscode';
import type { BackupLibrary } from '../../backups/backupLibrary';
import { BackupFolderProblemNode } from './backupFolderProblemNode';
import { BackupGroupNode } from './backupGroupNode';
import type { BackupNode } from './backupNode';
import { groupBackups } from './backupNodeModel';

/** Any node of the Backups view. */
export type BackupTreeNode = BackupGroupNode | BackupNode | BackupFolderProblemNode;

/** Maps the backup folder's listing to a tree grouped by device. */
export class BackupsTreeProvider implements vscode.TreeDataProvider<BackupTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BackupTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly library: BackupLibrary,
    private readonly locale: string,
  ) {
    this.subscription = library.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: BackupTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: BackupTreeNode): Promise<BackupTreeNode[]> {
    if (node) return node.kind === 'group' ? node.children : [];
    try {
      return groupBackups(await this.library.list(), this.locale).map((g) => new BackupGroupNode(g));
    } catch (err) {
      // A folder that cannot be read is a warning item with a retry, never a popup from here.
      return [new BackupFolderProblemNode(this.library.root, err as Error)];
    }
  }

  getParent(node: BackupTreeNode): BackupTreeNode | undefined {
    return node.kind === 'backup' ? node.parent : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
