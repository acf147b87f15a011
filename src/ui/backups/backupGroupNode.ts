import * as vscode from 'vscode';
import { escapeMarkdown } from '../devices/deviceNodeModel';
import { themeIcon, treeItem } from '../util/treeItem';
import { BackupNode } from './backupNode';
import type { BackupGroupModel } from './backupNodeModel';

/** All backups of one device. */
export class BackupGroupNode {
  readonly kind = 'group';
  readonly children: BackupNode[];

  constructor(readonly model: BackupGroupModel) {
    this.children = model.backups.map((b) => new BackupNode(this, b));
  }

  /** The tree item: the device name, its model and the number of backups. */
  toTreeItem(): vscode.TreeItem {
    const { label, id, description, udid } = this.model;
    const tooltip = new vscode.MarkdownString(`**${escapeMarkdown(label)}**${udid === undefined ? '' : `  \nUDID: ${escapeMarkdown(udid)}`}`);
    return treeItem(label, vscode.TreeItemCollapsibleState.Expanded, { id: `group:${id}`, description, tooltip, contextValue: 'backupGroup', iconPath: themeIcon('device-mobile') });
  }
}
