import * as vscode from 'vscode';
import type { BackupGroupNode } from './backupGroupNode';
import type { BackupNodeModel } from './backupNodeModel';

/** One backup folder: date, iOS version, encryption, size and completeness; expanding it inspects the backup. */
export class BackupNode {
  readonly kind = 'backup';

  constructor(
    readonly parent: BackupGroupNode,
    readonly model: BackupNodeModel,
  ) {}

  /** The tree item: the date as label, the rest as description and tooltip; collapsed until its details are wanted. */
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.model.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.model.dir;
    item.description = this.model.description;
    item.tooltip = new vscode.MarkdownString(this.model.tooltip);
    item.contextValue = this.model.contextValue;
    item.resourceUri = vscode.Uri.file(this.model.dir);
    item.iconPath =
      this.model.icon === 'warning' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon(this.model.icon);
    return item;
  }
}
