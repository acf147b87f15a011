import * as vscode from 'vscode';
import type { DeviceNode } from './deviceNode';
import type { DevicePropertyModel } from './deviceNodeModel';
import { themeIcon, treeItem } from '../util/treeItem';

/** One fact under an expanded device (Model, iOS, UDID, …); its value can be copied. */
export class DevicePropertyNode {
  readonly kind = 'property';

  constructor(
    readonly parent: DeviceNode,
    readonly property: DevicePropertyModel,
  ) {}

  /** The tree item: the fact's name with its value as description. */
  toTreeItem(): vscode.TreeItem {
    const { label, key, value } = this.property;
    return treeItem(label, vscode.TreeItemCollapsibleState.None, { id: `${this.parent.model.udid}/${key}`, description: value, tooltip: `${label}: ${value}`, contextValue: 'deviceProperty' });
  }
}
