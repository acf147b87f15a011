import * as vscode from 'vscode';
import type { ActiveDevice } from '../devices/activeDevice';
import type { DeviceMonitor } from '../devices/deviceMonitor';
import { deviceIconKind } from '../devices/deviceNodeModel';
import type { OperationTracker } from './operationTracker';

/**
 * One status bar item: a running operation with its percentage while one runs (click: the log),
 * else the active device with its iOS version (click: its info), hidden when there is neither.
 */
export class DeviceStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly active: ActiveDevice,
    private readonly monitor: DeviceMonitor,
    private readonly operations: OperationTracker,
  ) {
    this.item = vscode.window.createStatusBarItem('iosbr.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('iOS device');
    this.disposables.push(this.item, active.onDidChange(() => this.update()), operations.onDidChange(() => this.update()));
    this.update();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private update(): void {
    const op = this.operations.current();
    if (op) {
      const percent = op.percent === undefined ? '' : ` ${Math.round(op.percent)}%`;
      this.item.text = `$(sync~spin) ${op.label}${percent}`;
      this.item.tooltip = op.message ?? op.label;
      this.item.command = 'iosbr.log.show';
      this.item.show();
      return;
    }
    const device = this.active.get();
    if (device) {
      const f = device.facts;
      const icon = deviceIconKind(f) === 'watch' ? '$(watch)' : '$(device-mobile)';
      this.item.text = `${icon} ${f?.name ?? device.udid}${f?.iosVersion ? ` · ${vscode.l10n.t('iOS {0}', f.iosVersion)}` : ''}`;
      this.item.tooltip = vscode.l10n.t('Active device: {0} ({1}). Click for its details.', f?.name ?? device.udid, device.udid);
      this.item.command = 'iosbr.devices.showInfo';
      this.item.show();
      return;
    }
    const count = this.monitor.devices().length;
    if (count > 1) {
      this.item.text = `$(device-mobile) ${vscode.l10n.t('{0} devices', count)}`;
      this.item.tooltip = vscode.l10n.t('Select a device in the Devices view to make it the active one.');
      this.item.command = 'iosbr.devices.focus';
      this.item.show();
      return;
    }
    this.item.hide();
  }
}
