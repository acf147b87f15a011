import * as vscode from 'vscode';
import type { DeviceMonitor, MonitoredDevice } from './deviceMonitor';

/**
 * The device the user is working with: the one selected in the Devices view, else the only one
 * attached. Commands run from the palette offer it first; the status bar shows it.
 */
export class ActiveDevice implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the active device or its facts changed. */
  readonly onDidChange = this.changed.event;
  private selectedUdid: string | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly monitor: DeviceMonitor) {
    this.subscription = monitor.onDidChange(() => this.changed.fire());
  }

  /** Remembers the device selected in the tree. */
  select(udid: string | undefined): void {
    if (udid === this.selectedUdid) return;
    this.selectedUdid = udid;
    this.changed.fire();
  }

  /** The active device, if one can be told. */
  get(): MonitoredDevice | undefined {
    const devices = this.monitor.devices();
    return devices.find((d) => d.udid === this.selectedUdid) ?? (devices.length === 1 ? devices[0] : undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
