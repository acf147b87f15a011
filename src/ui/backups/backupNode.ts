import * as vscode from 'vscode';
import type { BackupGroupNode } from './backupGroupNode';
import type { BackupNodeModel } from './backupNodeModel';
import { themeIcon, treeItem } from '../util/treeItem';

/** One backup folder: date, iOS version, encryption, size and completeness; expanding it inspects the backup. */
export class BackupNode {
  readonly kind = 'backup';

  constructor(
    readonly parent: BackupGroupNode,
    readonly model: BackupNodeModel,
  ) {}

  /** The tree item: the date as label, the rest as description and tooltip; collapsed until its details are wanted. */
  toTreeItem(): vscode.TreeItem {
    const { label, dir, description, tooltip, contextValue, icon } = this.model;
    const parts = { id: dir, description, tooltip: new vscode.MarkdownString(tooltip), contextValue, resourceUri: vscode.Uri.file(dir), iconPath: themeIcon(icon) };
    return treeItem(label, vscode.TreeItemCollapsibleState.Collapsed, parts);
  }
}
