import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import type { BackupPasswordStore } from '../secrets/backupPasswordStore';
import { COMPAT_VIEW_TYPE } from './compatIds';
import { CompatPanel, type CompatPanelHost } from './compatPanel';
import type { CompatPanelControl } from './compatPanelControl';
import type { CompatBackupSource, CompatDeviceSource } from './compatSources';
import { KnownBackupFolders } from './knownBackupFolders';

/** What the extension gives the panel: its logger and the device and backup lists the views already keep. */
export interface CompatPanelDeps {
  logger: Logger;
  /** The DeviceMonitor (one usbmuxd Listen subscription and one facts read per device, shared with the Devices view). */
  devices: CompatDeviceSource;
  /** The BackupLibrary (the configured backup folder's listing, shared with the Backups view). */
  backups: CompatBackupSource;
  /** The extension's one password store (the backup commands save into it); the panel only reads it. */
  backupPasswords: BackupPasswordStore;
}

/**
 * Registers the panel serializer (the panel is disposed with the extension) and returns what the commands
 * (registered with all the others) use to open the panel and show the restore checks there.
 */
export function registerCompatPanel(context: vscode.ExtensionContext, deps: CompatPanelDeps): CompatPanelControl {
  const host: CompatPanelHost = { extensionUri: context.extensionUri, services: deps, knownBackups: new KnownBackupFolders(), current: undefined };
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(COMPAT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        CompatPanel.revive(host, panel, state);
      },
    }),
    { dispose: () => host.current?.dispose() },
  );
  return {
    open: (request) => CompatPanel.createOrShow(host, request),
    showRestoreChecks: (run) => CompatPanel.createOrShow(host, {}).showRestoreChecks(run),
    answers: (backupDir, targetUdid) => host.current?.answersFor(backupDir, targetUdid) ?? {},
    answer: (fact, value) => host.current?.recordAnswer(fact, value),
  };
}
