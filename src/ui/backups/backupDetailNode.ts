import * as vscode from 'vscode';
import { themeIcon, treeItem } from '../util/treeItem';
import type { BackupNode } from './backupNode';
import type { BackupDetailModel } from './backupDetailsModel';

/** One fact under an expanded backup (management state, apps, size, complete), or one app of the Apps list. */
export class BackupDetailNode {
  readonly kind = 'detail';
  readonly children: BackupDetailNode[];

  constructor(
    readonly parent: BackupNode | BackupDetailNode,
    readonly detail: BackupDetailModel,
  ) {
    this.children = detail.children.map((c) => new BackupDetailNode(this, c));
  }

  /** The backup this row belongs to. */
  get backup(): BackupNode {
    return this.parent.kind === 'backup' ? this.parent : this.parent.backup;
  }

  /** The tree item: the fact's name with its value as description, and where it came from as hover. */
  toTreeItem(): vscode.TreeItem {
    const { label, description, tooltip, icon } = this.detail;
    return treeItem(label, this.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None, {
      id: this.id,
      description,
      tooltip: new vscode.MarkdownString(tooltip),
      accessibilityInformation: { label: description ? `${label}: ${description}` : label },
      contextValue: 'backupDetail',
      iconPath: themeIcon(icon),
    });
  }

  /** The tree item id: the backup folder, then the keys of the rows down to this one. */
  get id(): string {
    // The prefix keeps a row's id apart from a backup folder's path (a backup node's id).
    return `${this.parent.kind === 'backup' ? `detail:${this.parent.model.dir}` : this.parent.id}/${this.detail.key}`;
  }
}
