import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { BackupHealthDocuments } from './ui/backups/backupHealthDocuments';
import { BackupLibrary } from './ui/backups/backupLibrary';
import type { CommandDeps } from './ui/commands/commandDeps';
import { registerCommands } from './ui/commands/registerCommands';
import { registerCompatPanel } from './ui/compat/registerCompatPanel';
import { DemoDevices } from './ui/demo/demoDevices';
import { ActiveDevice } from './ui/devices/activeDevice';
import { DeviceMonitor } from './ui/devices/deviceMonitor';
import { UsbmuxEndpoint } from './ui/devices/usbmuxEndpoint';
import { OperationHistory } from './ui/diagnostics/operationHistory';
import { DoctorReportDocuments } from './ui/doctor/doctorReportDocuments';
import { ActivationTiming } from './ui/extensionLog/activationTiming';
import { ExtensionLog } from './ui/extensionLog/extensionLog';
import { registerDeviceLogs } from './ui/deviceLog/registerDeviceLogs';
import { BackupPasswordStore } from './ui/secrets/backupPasswordStore';
import { ExtensionSettings } from './ui/settings/extensionSettings';
import { DeviceStatusBar } from './ui/status/deviceStatusBar';
import { OperationTracker } from './ui/status/operationTracker';
import { BackupsView } from './ui/backups/backupsView';
import { BenchAutomation } from './ui/bench/benchAutomation';
import { BenchSession } from './ui/bench/benchSession';
import { benchSettings } from './ui/bench/benchSettings';
import { BenchView } from './ui/bench/benchView';
import { uiLanguage } from './ui/util/uiLanguage';
import { DevicesView } from './ui/devices/devicesView';
import { offerWalkthroughOnFirstRun } from './ui/walkthrough/offerWalkthroughOnFirstRun';

/** Composition root: builds the pieces in dependency order and registers their disposables. */
export function activate(context: vscode.ExtensionContext): void {
  const timing = new ActivationTiming();
  // Modules that stay free of vscode (tree node models, error texts) translate through @vscode/l10n.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };

  const settings = own(new ExtensionSettings());
  const log = own(new ExtensionLog(settings));
  const logger = log.logger;
  const packageVersion = (context.extension.packageJSON as { version?: unknown }).version;
  const version = typeof packageVersion === 'string' ? packageVersion : '';

  const endpoint = own(new UsbmuxEndpoint(settings, logger));
  const demo = own(new DemoDevices(endpoint, context.globalStorageUri.fsPath, logger));
  const monitor = own(new DeviceMonitor(endpoint, logger.child('devices')));
  const active = own(new ActiveDevice(monitor));
  const backups = own(new BackupLibrary(settings, logger.child('backups')));
  const passwords = own(new BackupPasswordStore(context.secrets));
  const operations = own(new OperationTracker());
  const mediaUri = vscode.Uri.joinPath(context.extensionUri, 'media');

  own(new DevicesView(monitor, endpoint, active, mediaUri, (populated) => logger.info('devices view populated', { ms: timing.elapsed(), ...populated })));
  own(new BackupsView(backups, passwords, vscode.env.language));
  own(new DeviceStatusBar(active, monitor, operations));
  // The bench's code (the engines it drives) loads with its first row; the view and the settings cost nothing before.
  const benchOptions = own(benchSettings());
  const bench = own(new BenchSession(endpoint, backups, benchOptions, logger));
  own(new BenchView(bench, uiLanguage(vscode.env.language)));
  const benchAutomation = own(new BenchAutomation(monitor, bench, benchOptions, vscode.env.language, logger.child('bench')));

  const compatPanel = registerCompatPanel(context, { logger: logger.child('compat'), devices: monitor, backups, backupPasswords: passwords });
  const deps: CommandDeps = {
    extension: { id: context.extension.id, version },
    settings,
    log,
    logger,
    endpoint,
    monitor,
    active,
    backups,
    demo,
    passwords,
    operations,
    history: new OperationHistory(),
    doctorReports: own(new DoctorReportDocuments()),
    backupHealthReports: own(new BackupHealthDocuments()),
    compatPanel,
    deviceLogs: registerDeviceLogs(context),
    locale: vscode.env.language,
    clipboard: vscode.env.clipboard,
    bench,
    benchAutomation,
  };
  for (const disposable of registerCommands(deps)) own(disposable);

  if (settings.demoDevicesStartAutomatically()) {
    void vscode.commands.executeCommand('iosbr.demo.start');
  }
  void offerWalkthroughOnFirstRun(context, logger);
  // Last, so activateMs covers all of activate().
  logger.info('activated', { version, ui: vscode.env.language, remote: vscode.env.remoteName, ...timing.activated(context.extension.id) });
}

/** Nothing to do: every resource is a disposable in context.subscriptions. */
export function deactivate(): void {}
