import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import type { BackupPasswordStore } from '../secrets/backupPasswordStore';
import { COMPAT_VIEW_TYPE } from './compatIds';
import type { CompatPanelHost } from './compatPanel';
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
  // The panel's module brings the vendor rules and their schema validator: it loads when the panel is first
  // wanted, not at activation. Every request waits on the same import, so they reach the panel in the order made.
  let panelModule: Promise<typeof import('./compatPanel')> | undefined;
  const withPanel = async (use: (module: typeof import('./compatPanel')) => void): Promise<void> => {
    panelModule ??= import('./compatPanel');
    use(await panelModule);
  };
  /** For the calls nobody waits on: a failure goes to the log instead of vanishing as an unhandled rejection. */
  const logFailure = (err: unknown): void => deps.logger.error('the Restore Compatibility panel failed', { reason: err instanceof Error ? err.message : String(err) });
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(COMPAT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: unknown) => withPanel(({ CompatPanel }) => CompatPanel.revive(host, panel, state)),
    }),
    { dispose: () => host.current?.dispose() },
  );
  return {
    open: (request) => withPanel(({ CompatPanel }) => CompatPanel.createOrShow(host, request)),
    showRestoreChecks: (run) => void withPanel(({ CompatPanel }) => CompatPanel.createOrShow(host, {}).showRestoreChecks(run)).catch(logFailure),
    // No panel yet means no answers were given in it; nothing to wait for.
    answers: (backupDir, targetUdid) => host.current?.answersFor(backupDir, targetUdid) ?? {},
    answer: (fact, value) => void withPanel(() => host.current?.recordAnswer(fact, value)).catch(logFailure),
  };
}
