import * as vscode from 'vscode';
import { extractBackupFiles } from './backups/extractBackupFiles';
import { forgetBackupPassword } from './backups/forgetBackupPassword';
import { listBackupFiles } from './backups/listBackupFiles';
import { refreshBackups } from './backups/refreshBackups';
import { revealBackup } from './backups/revealBackup';
import { verifyBackup } from './backups/verifyBackup';
import { verifyBackupPassword } from './backups/verifyBackupPassword';
import type { CommandDeps } from './commandDeps';
import { showCompatPanel } from './compat/showCompatPanel';
import { registerCommandEntry, type CommandEntry } from './commandRunner';
import { startDemoDevices } from './demo/startDemoDevices';
import { stopDemoDevices } from './demo/stopDemoDevices';
import { backUpDevice } from './devices/backUpDevice';
import { backUpDeviceFull } from './devices/backUpDeviceFull';
import { copyDeviceValue } from './devices/copyDeviceValue';
import { pauseDeviceLog, resumeDeviceLog, stopDeviceLog } from './deviceLog/deviceLogStreamControls';
import { filterDeviceLog } from './deviceLog/filterDeviceLog';
import { saveDeviceLog } from './deviceLog/saveDeviceLog';
import { showDeviceLog } from './deviceLog/showDeviceLog';
import { pairDevice } from './devices/pairDevice';
import { refreshDevices } from './devices/refreshDevices';
import { showDeviceInfo } from './devices/showDeviceInfo';
import { unpairDevice } from './devices/unpairDevice';
import { exportDiagnosticReport } from './diagnostics/exportDiagnosticReport';
import { explainRestoreError } from './doctor/explainRestoreError';
import { changeBackupPassword, disableBackupEncryption, enableBackupEncryption } from './encryption/backupEncryptionCommands';
import { showLog } from './extensionLog/showExtensionLog';
import { restoreBackupToDevice } from './restore/restoreBackupToDevice';

/** The one table of commands: id, handler, and what the command does (for failure messages). */
export const COMMANDS: readonly CommandEntry[] = [
  { id: 'iosbr.devices.refresh', run: refreshDevices, operation: () => vscode.l10n.t('Refreshing the devices') },
  { id: 'iosbr.devices.pair', run: pairDevice, operation: () => vscode.l10n.t('Pairing') },
  { id: 'iosbr.devices.unpair', run: unpairDevice, operation: () => vscode.l10n.t('Unpairing') },
  { id: 'iosbr.devices.showInfo', run: showDeviceInfo, operation: () => vscode.l10n.t('Reading the device') },
  { id: 'iosbr.devices.copyValue', run: copyDeviceValue, operation: () => vscode.l10n.t('Copying') },
  { id: 'iosbr.devices.backup', run: backUpDevice, operation: () => vscode.l10n.t('The backup') },
  { id: 'iosbr.devices.backupFull', run: backUpDeviceFull, operation: () => vscode.l10n.t('The full backup') },
  { id: 'iosbr.devices.encryption.enable', run: enableBackupEncryption, operation: () => vscode.l10n.t('Turning on backup encryption') },
  { id: 'iosbr.devices.encryption.disable', run: disableBackupEncryption, operation: () => vscode.l10n.t('Turning off backup encryption') },
  { id: 'iosbr.devices.encryption.changePassword', run: changeBackupPassword, operation: () => vscode.l10n.t('Changing the backup password') },
  { id: 'iosbr.backups.refresh', run: refreshBackups, operation: () => vscode.l10n.t('Reading the backup folder') },
  { id: 'iosbr.backups.reveal', run: revealBackup, operation: () => vscode.l10n.t('Revealing the folder') },
  { id: 'iosbr.backups.verifyPassword', run: verifyBackupPassword, operation: () => vscode.l10n.t('Checking the password') },
  { id: 'iosbr.backups.verify', run: verifyBackup, operation: () => vscode.l10n.t('The backup check') },
  { id: 'iosbr.backups.forgetPassword', run: forgetBackupPassword, operation: () => vscode.l10n.t('Forgetting the password') },
  { id: 'iosbr.backups.listFiles', run: listBackupFiles, operation: () => vscode.l10n.t('Listing the backup') },
  { id: 'iosbr.backups.extract', run: extractBackupFiles, operation: () => vscode.l10n.t('The extraction') },
  { id: 'iosbr.backups.restore', run: restoreBackupToDevice, operation: () => vscode.l10n.t('The restore') },
  { id: 'iosbr.demo.start', run: startDemoDevices, operation: () => vscode.l10n.t('Starting the demo devices') },
  { id: 'iosbr.demo.stop', run: stopDemoDevices, operation: () => vscode.l10n.t('Stopping the demo devices') },
  { id: 'iosbr.log.show', run: showLog, operation: () => vscode.l10n.t('Showing the log') },
  { id: 'iosbr.diagnostics.export', run: exportDiagnosticReport, operation: () => vscode.l10n.t('Writing the diagnostic report') },
  { id: 'iosbr.doctor.explain', run: explainRestoreError, operation: () => vscode.l10n.t('Explaining the error') },
  { id: 'iosbr.compat.show', run: showCompatPanel, operation: () => vscode.l10n.t('Opening the Restore Compatibility panel') },
  { id: 'iosbr.deviceLog.show', run: showDeviceLog, operation: () => vscode.l10n.t('Showing the device log') },
  { id: 'iosbr.deviceLog.filter', run: filterDeviceLog, operation: () => vscode.l10n.t('Filtering the device log') },
  { id: 'iosbr.deviceLog.pause', run: pauseDeviceLog, operation: () => vscode.l10n.t('Pausing the device log') },
  { id: 'iosbr.deviceLog.resume', run: resumeDeviceLog, operation: () => vscode.l10n.t('Resuming the device log') },
  { id: 'iosbr.deviceLog.save', run: saveDeviceLog, operation: () => vscode.l10n.t('Saving the device log') },
  { id: 'iosbr.deviceLog.stop', run: stopDeviceLog, operation: () => vscode.l10n.t('Stopping the device log') },
];

/** Registers every command of the table; the returned disposables unregister them. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return COMMANDS.map((entry) => registerCommandEntry(deps, entry));
}
