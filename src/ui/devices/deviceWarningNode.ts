import * as vscode from 'vscode';
import type { CommandId } from '../commandIds';
import { themeIcon, treeItem } from '../util/treeItem';
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
    return treeItem(this.action?.title ?? this.text, vscode.TreeItemCollapsibleState.None, {
      id: `${this.parent.model.udid}/warning`,
      tooltip: this.text,
      description: this.action ? this.text : undefined,
      iconPath: themeIcon('warning'),
      contextValue: 'deviceWarning',
      command: this.action && { command: this.action.command, title: this.action.title, arguments: [this.parent] },
    });
  }
}
