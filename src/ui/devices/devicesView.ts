import * as vscode from 'vscode';
import type { ActiveDevice } from './activeDevice';
import type { DeviceMonitor } from './deviceMonitor';
import type { UsbmuxEndpoint } from './usbmuxEndpoint';
import { DevicesTreeProvider, type DeviceTreeNode } from './devicesTreeProvider';
import { between } from '../extensionLog/activationTiming';

/** The Devices view's id in package.json. */
export const DEVICES_VIEW_ID = 'iosbr.devices';
/** Context key the Devices welcome content is chosen by: connecting | unreachable | empty | devices. */
export const DEVICES_STATE_CONTEXT = 'iosbr.devices.state';

/**
 * The Devices view: the tree plus what surrounds it. It starts the usbmuxd subscription when the
 * view is first shown, sets the context key the welcome content depends on, and puts the reason
 * usbmuxd cannot be reached (with its address) in the view's message.
 */
export class DevicesView implements vscode.Disposable {
  readonly provider: DevicesTreeProvider;
  readonly treeView: vscode.TreeView<DeviceTreeNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly monitor: DeviceMonitor,
    private readonly endpoint: UsbmuxEndpoint,
    active: ActiveDevice,
    mediaUri: vscode.Uri,
    /** Told once when the view first shows read devices, with how long after the view was first shown (activation timing). */
    onFirstPopulated?: (populated: { devices: number; sinceShownMs: number }) => void,
  ) {
    // The view can be shown long after activation (or activation can come from showing it): timing the way
    // from shown to populated separates the extension's own work from when the person opened the view.
    let shownAt: number | undefined;
    this.provider = new DevicesTreeProvider(monitor, mediaUri, (devices) =>
      onFirstPopulated?.({ devices, sinceShownMs: between(shownAt ?? performance.now(), performance.now()) }),
    );
    this.treeView = vscode.window.createTreeView(DEVICES_VIEW_ID, { treeDataProvider: this.provider, canSelectMany: true, showCollapseAll: true });
    if (this.treeView.visible) shownAt = performance.now();
    this.disposables.push(
      this.provider,
      this.treeView,
      this.treeView.onDidChangeVisibility((e) => {
        if (e.visible) shownAt ??= performance.now();
        monitor.setVisible(e.visible);
      }),
      this.treeView.onDidChangeSelection((e) => {
        const first = e.selection[0];
        active.select(first ? (first.kind === 'device' ? first : first.parent).model.udid : undefined);
      }),
      monitor.onDidChange(() => this.updateState()),
    );
    monitor.setVisible(this.treeView.visible);
    this.updateState();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private updateState(): void {
    const count = this.monitor.devices().length;
    const state = this.monitor.state === 'unreachable' ? 'unreachable' : this.monitor.state === 'connected' ? (count ? 'devices' : 'empty') : 'connecting';
    void vscode.commands.executeCommand('setContext', DEVICES_STATE_CONTEXT, state);
    // A view message hides the welcome content, so the unreachable case (whose welcome content says
    // what to start) has none; the reason with its address is in the log.
    this.treeView.message = state === 'devices' && this.endpoint.usingDemo ? vscode.l10n.t('Demo devices (simulated)') : undefined;
  }
}
