import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import type { BackupPasswordStore } from '../secrets/backupPasswordStore';
import { selectionRequestFromArgs } from './commandArgs';
import { COMPAT_SHOW_COMMAND, COMPAT_VIEW_TYPE } from './compatIds';
import { CompatPanel, type CompatPanelHost } from './compatPanel';
import type { CompatBackupSource, CompatDeviceSource } from './compatSources';
import { KnownBackupFolders } from './knownBackupFolders';
import type { RestoreChecklist } from './restoreChecklist';

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
 * Registers the Restore Compatibility command and the panel serializer; everything is disposed with the
 * extension. Returns what the restore command uses to show its checks in the panel.
 */
export function registerCompatPanel(context: vscode.ExtensionContext, deps: CompatPanelDeps): RestoreChecklist {
  const host: CompatPanelHost = { extensionUri: context.extensionUri, services: deps, knownBackups: new KnownBackupFolders(), current: undefined };
  context.subscriptions.push(
    // Tree menus pass (clicked node, selected nodes); the palette passes nothing.
    vscode.commands.registerCommand(COMPAT_SHOW_COMMAND, (node?: unknown, nodes?: unknown) => {
      CompatPanel.createOrShow(host, selectionRequestFromArgs(node, nodes));
    }),
    vscode.window.registerWebviewPanelSerializer(COMPAT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        CompatPanel.revive(host, panel, state);
      },
    }),
    { dispose: () => host.current?.dispose() },
  );
  return {
    show: (run) => CompatPanel.createOrShow(host, {}).showRestoreChecks(run),
    answers: (backupDir, targetUdid) => host.current?.answersFor(backupDir, targetUdid) ?? {},
    answer: (fact, value) => host.current?.recordAnswer(fact, value),
  };
}
