import * as vscode from 'vscode';
import { escapeMarkdown } from '../devices/deviceNodeModel';
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
    const item = new vscode.TreeItem(this.model.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${this.model.id}`;
    item.description = this.model.description;
    item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(this.model.label)}**${this.model.udid === undefined ? '' : `  \nUDID: ${escapeMarkdown(this.model.udid)}`}`);
    item.contextValue = 'backupGroup';
    item.iconPath = new vscode.ThemeIcon('device-mobile');
    return item;
  }
}
