import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import { formatUsbmuxdAddress, resolveUsbmuxdAddress, type UsbmuxdAddress } from '../../usbmux/socketAddress';
import { UsbmuxClient } from '../../usbmux/usbmuxClient';
import type { ExtensionSettings } from '../settings/extensionSettings';

/**
 * Which usbmuxd the extension talks to: the demo devices' virtual usbmuxd while they run, else the
 * `iosbr.usbmuxdAddress` setting, else USBMUXD_SOCKET_ADDRESS, else the platform socket. Everything
 * that needs a UsbmuxClient asks here, so switching to the demo devices reaches every command.
 */
export class UsbmuxEndpoint implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the address changed; watchers reconnect. */
  readonly onDidChange = this.changed.event;
  private demoAddress: UsbmuxdAddress | undefined;
  private currentClient: UsbmuxClient;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly settings: ExtensionSettings,
    private readonly logger: Logger,
  ) {
    this.currentClient = this.build();
    this.subscription = settings.onDidChange((key) => {
      if (key === 'usbmuxdAddress' && !this.demoAddress) this.replace();
    });
  }

  /** The client for the current address. */
  get client(): UsbmuxClient {
    // The setting is read again on every use: right after a window reload the extension can activate (for a
    // revived panel) before the user settings reached it, and no change event is promised when they arrive.
    if (!this.demoAddress) {
      const configured = resolveUsbmuxdAddress(this.settings.usbmuxdAddress(), process.env);
      if (formatUsbmuxdAddress(configured) !== this.addressText) {
        this.currentClient = new UsbmuxClient(configured, this.logger.child('usbmux'));
        this.logger.debug('usbmuxd address setting now reads differently', { address: this.addressText });
      }
    }
    return this.currentClient;
  }

  /** The current address as USBMUXD_SOCKET_ADDRESS would spell it. */
  get addressText(): string {
    return formatUsbmuxdAddress(this.currentClient.address);
  }

  /** True while the demo devices' usbmuxd is in use. */
  get usingDemo(): boolean {
    return this.demoAddress !== undefined;
  }

  /** Points the client at the demo devices' virtual usbmuxd. */
  useDemo(address: UsbmuxdAddress): void {
    this.demoAddress = address;
    this.replace();
  }

  /** Returns to the configured usbmuxd. */
  leaveDemo(): void {
    if (!this.demoAddress) return;
    this.demoAddress = undefined;
    this.replace();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private build(): UsbmuxClient {
    const address = this.demoAddress ?? resolveUsbmuxdAddress(this.settings.usbmuxdAddress(), process.env);
    return new UsbmuxClient(address, this.logger.child('usbmux'));
  }

  private replace(): void {
    this.currentClient = this.build();
    this.logger.debug('usbmuxd address chosen', { address: this.addressText, demo: this.usingDemo });
    this.changed.fire();
  }
}
