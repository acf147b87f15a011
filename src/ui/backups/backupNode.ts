import * as vscode from 'vscode';
import { ChildRow, themeIcon, treeItem } from '../util/treeItem';
import type { BackupGroupNode } from './backupGroupNode';
import type { BackupNodeModel } from './backupNodeModel';

/** One backup folder: date, iOS version, encryption, size and completeness; expanding it inspects the backup. */
export class BackupNode extends ChildRow<BackupGroupNode, BackupNodeModel> {
  readonly kind = 'backup';

  /** The tree item: the date as label, the rest as description and tooltip; collapsed until its details are wanted. */
  toTreeItem(): vscode.TreeItem {
    const { label, dir, description, tooltip, contextValue, icon } = this.model;
    const parts = { id: dir, description, tooltip: new vscode.MarkdownString(tooltip), contextValue, resourceUri: vscode.Uri.file(dir), iconPath: themeIcon(icon) };
    return treeItem(label, vscode.TreeItemCollapsibleState.Collapsed, parts);
  }
}
