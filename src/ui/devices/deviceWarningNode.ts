import * as vscode from 'vscode';
import type { CommandId } from '../commandIds';
import type { DeviceNode } from './deviceNode';

/** A warning under a device (not trusted, facts unreadable) that runs the command fixing it when clicked. */
export class DeviceWarningNode {
  readonly kind = 'warning';

  constructor(
    readonly parent: DeviceNode,
    readonly text: string,
    readonly action: { command: CommandId; title: string } | undefined,
  ) {}

  /** The tree item: a warning icon, the sentence, and the fixing command on click. */
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.action?.title ?? this.text, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.parent.model.udid}/warning`;
    item.tooltip = this.text;
    item.description = this.action ? this.text : undefined;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.contextValue = 'deviceWarning';
    if (this.action) item.command = { command: this.action.command, title: this.action.title, arguments: [this.parent] };
    return item;
  }
}
