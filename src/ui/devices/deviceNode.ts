import * as vscode from 'vscode';
import { themeIcon, treeItem } from '../util/treeItem';
import type { MonitoredDevice } from './deviceMonitor';
import type { DeviceIconKind, DeviceNodeModel } from './deviceNodeModel';

const CODICONS: Record<Exclude<DeviceIconKind, 'tablet'>, string> = {
  phone: 'device-mobile',
  watch: 'watch',
  tv: 'device-desktop',
  unknown: 'question',
};

/** An attached device in the Devices view. */
export class DeviceNode {
  readonly kind = 'device';

  constructor(
    readonly model: DeviceNodeModel,
    readonly device: MonitoredDevice,
    private readonly mediaUri: vscode.Uri,
  ) {}

  /** The tree item: icon by device class, model and iOS as description, the facts as tooltip. */
  toTreeItem(): vscode.TreeItem {
    const { label, udid, description, tooltip, contextValue } = this.model;
    return treeItem(label, vscode.TreeItemCollapsibleState.Collapsed, { id: udid, description, tooltip: new vscode.MarkdownString(tooltip, true), contextValue, iconPath: this.icon() });
  }

  private icon(): vscode.TreeItem['iconPath'] {
    if (this.model.state === 'loading') return new vscode.ThemeIcon('loading~spin');
    if (this.model.state === 'unavailable') return themeIcon('warning');
    if (this.model.icon === 'tablet') {
      // The codicons have no tablet, so the extension ships one for each theme kind.
      return {
        light: vscode.Uri.joinPath(this.mediaUri, 'icons', 'tablet-light.svg'),
        dark: vscode.Uri.joinPath(this.mediaUri, 'icons', 'tablet-dark.svg'),
      };
    }
    return themeIcon(CODICONS[this.model.icon], this.model.state === 'untrusted');
  }
}
