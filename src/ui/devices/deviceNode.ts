import * as vscode from 'vscode';
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
    const item = new vscode.TreeItem(this.model.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.model.udid;
    item.description = this.model.description;
    const tooltip = new vscode.MarkdownString(this.model.tooltip, true);
    item.tooltip = tooltip;
    item.contextValue = this.model.contextValue;
    item.iconPath = this.icon();
    return item;
  }

  private icon(): vscode.TreeItem['iconPath'] {
    if (this.model.state === 'loading') return new vscode.ThemeIcon('loading~spin');
    if (this.model.state === 'unavailable') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    if (this.model.icon === 'tablet') {
      // The codicons have no tablet, so the extension ships one for each theme kind.
      return {
        light: vscode.Uri.joinPath(this.mediaUri, 'icons', 'tablet-light.svg'),
        dark: vscode.Uri.joinPath(this.mediaUri, 'icons', 'tablet-dark.svg'),
      };
    }
    const color = this.model.state === 'untrusted' ? new vscode.ThemeColor('list.warningForeground') : undefined;
    return new vscode.ThemeIcon(CODICONS[this.model.icon], color);
  }
}
