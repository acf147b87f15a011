import * as vscode from 'vscode';
import type { DeviceNode } from './deviceNode';
import type { DevicePropertyModel } from './deviceNodeModel';

/** One fact under an expanded device (Model, iOS, UDID, …); its value can be copied. */
export class DevicePropertyNode {
  readonly kind = 'property';

  constructor(
    readonly parent: DeviceNode,
    readonly property: DevicePropertyModel,
  ) {}

  /** The tree item: the fact's name with its value as description. */
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.property.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.parent.model.udid}/${this.property.key}`;
    item.description = this.property.value;
    item.tooltip = `${this.property.label}: ${this.property.value}`;
    item.contextValue = 'deviceProperty';
    return item;
  }
}
