import * as vscode from 'vscode';
import { defaultBackupRoot } from '../../backup/format/backupFolder';
import type { LogLevel } from '../../common/logger';

/** The `iosbr.*` settings this extension reads. */
export type SettingKey = 'backupFolder' | 'usbmuxdAddress' | 'demoDevices.startAutomatically' | 'logLevel';

/** The log level setting: a level, or 'inherit' to follow the channel's own level. */
export type LogLevelSetting = LogLevel | 'inherit';

const LOG_LEVELS: readonly LogLevelSetting[] = ['inherit', 'trace', 'debug', 'info', 'warn', 'error', 'off'];

/** Typed access to the extension's settings, read fresh each time so edits apply at once. */
export class ExtensionSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SettingKey>();
  /** Fires with the key of a setting that changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      for (const key of ['backupFolder', 'usbmuxdAddress', 'demoDevices.startAutomatically', 'logLevel'] as const) {
        if (e.affectsConfiguration(`iosbr.${key}`)) this.changed.fire(key);
      }
    });
  }

  /** The backup root: the setting, else the platform's MobileSync folder. */
  backupFolder(): string {
    const configured = this.config().get<string>('backupFolder', '').trim();
    return configured || defaultBackupRoot(process.platform, process.env);
  }

  /** The usbmuxd address setting as typed (empty: USBMUXD_SOCKET_ADDRESS or the platform default). */
  usbmuxdAddress(): string {
    return this.config().get<string>('usbmuxdAddress', '').trim();
  }

  /** Whether the demo devices start with the extension. */
  demoDevicesStartAutomatically(): boolean {
    return this.config().get<boolean>('demoDevices.startAutomatically', false);
  }

  /** The configured log level; unknown values fall back to following the channel. */
  logLevel(): LogLevelSetting {
    const value = this.config().get<string>('logLevel', 'inherit') as LogLevelSetting;
    return LOG_LEVELS.includes(value) ? value : 'inherit';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('iosbr');
  }
}
