import * as vscode from 'vscode';
import type { CommandDeps } from './commandDeps';
import { registerCommandEntry, type CommandEntry, type CommandHandler } from './commandRunner';

/**
 * A handler whose module, and everything that module imports (the backup engine, the restore, the doctor's
 * knowledge base, pairing's certificate code, …), is loaded the first time the command runs rather than when
 * the extension activates: activation stays cheap, and a command costs its import once (a few milliseconds).
 */
function lazy<M>(load: () => Promise<M>, handler: (module: M) => CommandHandler): CommandHandler {
  return async (deps, ...args: unknown[]) => handler(await load())(deps, ...args);
}

/** The one table of commands: id, handler, and what the command does (for failure messages). */
export const COMMANDS: readonly CommandEntry[] = [
  { id: 'iosbr.devices.refresh', run: lazy(() => import('./devices/refreshDevices'), (m) => m.refreshDevices), operation: () => vscode.l10n.t('Refreshing the devices') },
  { id: 'iosbr.devices.pair', run: lazy(() => import('./devices/pairDevice'), (m) => m.pairDevice), operation: () => vscode.l10n.t('Pairing') },
  { id: 'iosbr.devices.unpair', run: lazy(() => import('./devices/unpairDevice'), (m) => m.unpairDevice), operation: () => vscode.l10n.t('Unpairing') },
  { id: 'iosbr.devices.showInfo', run: lazy(() => import('./devices/showDeviceInfo'), (m) => m.showDeviceInfo), operation: () => vscode.l10n.t('Reading the device') },
  { id: 'iosbr.devices.copyValue', run: lazy(() => import('./devices/copyDeviceValue'), (m) => m.copyDeviceValue), operation: () => vscode.l10n.t('Copying') },
  { id: 'iosbr.devices.backup', run: lazy(() => import('./devices/backUpDevice'), (m) => m.backUpDevice), operation: () => vscode.l10n.t('The backup') },
  { id: 'iosbr.devices.backupFull', run: lazy(() => import('./devices/backUpDeviceFull'), (m) => m.backUpDeviceFull), operation: () => vscode.l10n.t('The full backup') },
  { id: 'iosbr.devices.encryption.enable', run: lazy(() => import('./encryption/backupEncryptionCommands'), (m) => m.enableBackupEncryption), operation: () => vscode.l10n.t('Turning on backup encryption') },
  { id: 'iosbr.devices.encryption.disable', run: lazy(() => import('./encryption/backupEncryptionCommands'), (m) => m.disableBackupEncryption), operation: () => vscode.l10n.t('Turning off backup encryption') },
  { id: 'iosbr.devices.encryption.changePassword', run: lazy(() => import('./encryption/backupEncryptionCommands'), (m) => m.changeBackupPassword), operation: () => vscode.l10n.t('Changing the backup password') },
  { id: 'iosbr.backups.refresh', run: lazy(() => import('./backups/refreshBackups'), (m) => m.refreshBackups), operation: () => vscode.l10n.t('Reading the backup folder') },
  { id: 'iosbr.backups.reveal', run: lazy(() => import('./backups/revealBackup'), (m) => m.revealBackup), operation: () => vscode.l10n.t('Revealing the folder') },
  { id: 'iosbr.backups.verifyPassword', run: lazy(() => import('./backups/verifyBackupPassword'), (m) => m.verifyBackupPassword), operation: () => vscode.l10n.t('Checking the password') },
  { id: 'iosbr.backups.verify', run: lazy(() => import('./backups/verifyBackup'), (m) => m.verifyBackup), operation: () => vscode.l10n.t('The backup check') },
  { id: 'iosbr.backups.forgetPassword', run: lazy(() => import('./backups/forgetBackupPassword'), (m) => m.forgetBackupPassword), operation: () => vscode.l10n.t('Forgetting the password') },
  { id: 'iosbr.backups.listFiles', run: lazy(() => import('./backups/listBackupFiles'), (m) => m.listBackupFiles), operation: () => vscode.l10n.t('Listing the backup') },
  { id: 'iosbr.backups.extract', run: lazy(() => import('./backups/extractBackupFiles'), (m) => m.extractBackupFiles), operation: () => vscode.l10n.t('The extraction') },
  { id: 'iosbr.backups.restore', run: lazy(() => import('./restore/restoreBackupToDevice'), (m) => m.restoreBackupToDevice), operation: () => vscode.l10n.t('The restore') },
  { id: 'iosbr.demo.start', run: lazy(() => import('./demo/startDemoDevices'), (m) => m.startDemoDevices), operation: () => vscode.l10n.t('Starting the demo devices') },
  { id: 'iosbr.demo.stop', run: lazy(() => import('./demo/stopDemoDevices'), (m) => m.stopDemoDevices), operation: () => vscode.l10n.t('Stopping the demo devices') },
  { id: 'iosbr.log.show', run: lazy(() => import('./extensionLog/showExtensionLog'), (m) => m.showLog), operation: () => vscode.l10n.t('Showing the log') },
  { id: 'iosbr.diagnostics.export', run: lazy(() => import('./diagnostics/exportDiagnosticReport'), (m) => m.exportDiagnosticReport), operation: () => vscode.l10n.t('Writing the diagnostic report') },
  { id: 'iosbr.doctor.explain', run: lazy(() => import('./doctor/explainRestoreError'), (m) => m.explainRestoreError), operation: () => vscode.l10n.t('Explaining the error') },
  { id: 'iosbr.compat.show', run: lazy(() => import('./compat/showCompatPanel'), (m) => m.showCompatPanel), operation: () => vscode.l10n.t('Opening the Restore Compatibility panel') },
  { id: 'iosbr.deviceLog.show', run: lazy(() => import('./deviceLog/showDeviceLog'), (m) => m.showDeviceLog), operation: () => vscode.l10n.t('Showing the device log') },
  { id: 'iosbr.deviceLog.filter', run: lazy(() => import('./deviceLog/filterDeviceLog'), (m) => m.filterDeviceLog), operation: () => vscode.l10n.t('Filtering the device log') },
  { id: 'iosbr.deviceLog.pause', run: lazy(() => import('./deviceLog/deviceLogStreamControls'), (m) => m.pauseDeviceLog), operation: () => vscode.l10n.t('Pausing the device log') },
  { id: 'iosbr.deviceLog.resume', run: lazy(() => import('./deviceLog/deviceLogStreamControls'), (m) => m.resumeDeviceLog), operation: () => vscode.l10n.t('Resuming the device log') },
  { id: 'iosbr.deviceLog.save', run: lazy(() => import('./deviceLog/saveDeviceLog'), (m) => m.saveDeviceLog), operation: () => vscode.l10n.t('Saving the device log') },
  { id: 'iosbr.deviceLog.stop', run: lazy(() => import('./deviceLog/deviceLogStreamControls'), (m) => m.stopDeviceLog), operation: () => vscode.l10n.t('Stopping the device log') },
  { id: 'iosbr.bench.backUp', run: lazy(() => import('./bench/backUpDevicesOnBench'), (m) => m.backUpDevicesOnBench), operation: () => vscode.l10n.t('Backing up on the bench') },
  { id: 'iosbr.bench.restore', run: lazy(() => import('./bench/restoreBackupToDevices'), (m) => m.restoreBackupToDevices), operation: () => vscode.l10n.t('The restore to several devices') },
  { id: 'iosbr.bench.cancel', run: lazy(() => import('./bench/benchRowCommands'), (m) => m.cancelBenchRow), operation: () => vscode.l10n.t('Cancelling') },
  { id: 'iosbr.bench.retry', run: lazy(() => import('./bench/benchRowCommands'), (m) => m.retryBenchRow), operation: () => vscode.l10n.t('Retrying') },
  { id: 'iosbr.bench.cancelAll', run: lazy(() => import('./bench/benchRowCommands'), (m) => m.cancelAllBenchRows), operation: () => vscode.l10n.t('Cancelling') },
  { id: 'iosbr.bench.clearFinished', run: lazy(() => import('./bench/benchRowCommands'), (m) => m.clearFinishedBenchRows), operation: () => vscode.l10n.t('Clearing the bench') },
  { id: 'iosbr.bench.exportReport', run: lazy(() => import('./bench/exportBenchReport'), (m) => m.exportBenchReport), operation: () => vscode.l10n.t('Writing the bench report') },
];

/** Registers every command of the table; the returned disposables unregister them. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return COMMANDS.map((entry) => registerCommandEntry(deps, entry));
}
