import * as vscode from 'vscode';
import { ChildRow, treeItem } from '../util/treeItem';
import type { DeviceNode } from './deviceNode';
import type { DevicePropertyModel } from './deviceNodeModel';

/** One fact under an expanded device (Model, iOS, UDID, …); its value can be copied. */
export class DevicePropertyNode extends ChildRow<DeviceNode, DevicePropertyModel> {
  readonly kind = 'property';

  /** The tree item: the fact's name with its value as description. */
  toTreeItem(): vscode.TreeItem {
    const { label, key, value } = this.model;
    return treeItem(label, vscode.TreeItemCollapsibleState.None, { id: `${this.parent.model.udid}/${key}`, description: value, tooltip: `${label}: ${value}`, contextValue: 'deviceProperty' });
  }
}
