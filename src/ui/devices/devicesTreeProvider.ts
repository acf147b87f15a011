import * as vscode from 'vscode';
import type { DeviceMonitor } from './deviceMonitor';
import { DeviceNode } from './deviceNode';
import { deviceNodeModel } from './deviceNodeModel';
import { DevicePropertyNode } from './devicePropertyNode';
import { DeviceWarningNode } from './deviceWarningNode';

/** Any node of the Devices view. */
export type DeviceTreeNode = DeviceNode | DevicePropertyNode | DeviceWarningNode;

/**
 * Maps the monitor's devices to tree nodes. It never throws or shows popups: a usbmuxd that cannot
 * be reached gives an empty tree, and the view shows the welcome content and message for that state.
 */
export class DevicesTreeProvider implements vscode.TreeDataProvider<DeviceTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DeviceTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: DeviceNode[] = [];
  private readonly subscription: vscode.Disposable;
  private populatedReported = false;

  constructor(
    private readonly monitor: DeviceMonitor,
    private readonly mediaUri: vscode.Uri,
    /** Called once, the first time the view is handed devices that are all read (the activation benchmark's end mark). */
    private readonly onFirstPopulated?: (devices: number) => void,
  ) {
    this.subscription = monitor.onDidChange(() => this.refresh());
  }

  /** Rebuilds the device nodes from the monitor and redraws the view. */
  refresh(): void {
    this.nodes = this.monitor.devices().map(
      (device) =>
        new DeviceNode(
          deviceNodeModel({ udid: device.udid, connectionType: device.connection.connectionType, facts: device.facts, factsError: device.factsError, reading: device.reading }),
          device,
          this.mediaUri,
        ),
    );
    this.changed.fire(undefined);
  }

  /** The current device nodes (for reveal and the status bar). */
  deviceNodes(): readonly DeviceNode[] {
    return this.nodes;
  }

  getTreeItem(node: DeviceTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: DeviceTreeNode): DeviceTreeNode[] {
    if (!node) {
      this.reportFirstPopulated();
      return [...this.nodes];
    }
    if (node.kind !== 'device') return [];
    const children: DeviceTreeNode[] = [];
    const { model } = node;
    if (model.warning) {
      const action =
        model.state === 'untrusted'
          ? { command: 'iosbr.devices.pair' as const, title: vscode.l10n.t('Pair with this device') }
          : model.state === 'unavailable'
            ? { command: 'iosbr.devices.refresh' as const, title: vscode.l10n.t('Try again') }
            : undefined;
      children.push(new DeviceWarningNode(node, model.warning, action));
    }
    children.push(...model.properties.map((p) => new DevicePropertyNode(node, p)));
    return children;
  }

  /** The view shows what a person came for once every listed device has been read (name, model, iOS). */
  private reportFirstPopulated(): void {
    if (this.populatedReported || this.nodes.length === 0 || this.nodes.some((n) => n.model.state === 'loading')) return;
    this.populatedReported = true;
    this.onFirstPopulated?.(this.nodes.length);
  }

  getParent(node: DeviceTreeNode): DeviceTreeNode | undefined {
    return node.kind === 'device' ? undefined : node.parent;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
