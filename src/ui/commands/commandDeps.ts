import type * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import type { BenchAutomation } from '../bench/benchAutomation';
import type { BenchSession } from '../bench/benchSession';
import type { BackupHealthDocuments } from '../backups/backupHealthDocuments';
import type { BackupLibrary } from '../backups/backupLibrary';
import type { CompatPanelControl } from '../compat/compatPanelControl';
import type { DemoDevices } from '../demo/demoDevices';
import type { DeviceLogDocuments } from '../deviceLog/deviceLogDocuments';
import type { ActiveDevice } from '../devices/activeDevice';
import type { DeviceMonitor } from '../devices/deviceMonitor';
import type { UsbmuxEndpoint } from '../devices/usbmuxEndpoint';
import type { OperationHistory } from '../diagnostics/operationHistory';
import type { DoctorReportDocuments } from '../doctor/doctorReportDocuments';
import type { ExtensionLog } from '../extensionLog/extensionLog';
import type { BackupPasswordStore } from '../secrets/backupPasswordStore';
import type { ExtensionSettings } from '../settings/extensionSettings';
import type { OperationTracker } from '../status/operationTracker';

/** What command handlers work with, built once by the composition root and passed to every handler. */
export interface CommandDeps {
  extension: { version: string; id: string };
  settings: ExtensionSettings;
  log: ExtensionLog;
  logger: Logger;
  endpoint: UsbmuxEndpoint;
  monitor: DeviceMonitor;
  active: ActiveDevice;
  backups: BackupLibrary;
  demo: DemoDevices;
  passwords: BackupPasswordStore;
  operations: OperationTracker;
  history: OperationHistory;
  /** Where the failure doctor's reports open (read-only documents). */
  doctorReports: DoctorReportDocuments;
  /** Where Verify Backup's reports open (read-only Markdown documents). */
  backupHealthReports: BackupHealthDocuments;
  /** Opens the Restore Compatibility panel, shows the restore checks there and shares its answers. */
  compatPanel: CompatPanelControl;
  /** The streaming device log documents the device log commands work on. */
  deviceLogs: DeviceLogDocuments;
  /** The UI language (vscode.env.language), for dates in reports. */
  locale: string;
  clipboard: vscode.Clipboard;
  /** The kitting bench (made, and its code loaded, on first use) and the Bench view's rows. */
  bench: BenchSession;
  /** What the bench does by itself when a device attaches (the settings, or a restore to the next devices). */
  benchAutomation: BenchAutomation;
}
