import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandDeps';
import { showFailure } from '../commands/commandRunner';
import { presentError } from '../errors/errorPresentation';
import type { DeviceLogCommandContext } from './deviceLogCommandContext';
import type { DeviceLogCommandId } from './deviceLogCommandIds';
import { DEVICE_LOG_SCHEME, DeviceLogDocuments } from './deviceLogDocuments';
import { DEVICE_LOG_LANGUAGE, watchForDeviceLogFiles } from './deviceLogLanguageDetector';
import { DeviceLogStatusBar } from './deviceLogStatusBar';
import { ErrorCodeHoverProvider } from './errorCodeHoverProvider';
import { filterDeviceLog } from './filterDeviceLog';
import { followDeviceLogTail } from './followDeviceLogTail';
import { pauseDeviceLog } from './pauseDeviceLog';
import { resumeDeviceLog } from './resumeDeviceLog';
import { saveDeviceLog } from './saveDeviceLog';
import { showDeviceLog } from './showDeviceLog';
import { stopDeviceLog } from './stopDeviceLog';

/** One device log command: id, handler, and what it does for failure messages. */
interface DeviceLogCommand {
  id: DeviceLogCommandId;
  // `any`: VS Code passes menu arguments untyped; each handler declares what it accepts.
  run: (context: DeviceLogCommandContext, ...args: any[]) => unknown;
  operation: () => string;
}

/** The device log commands (one per id of DEVICE_LOG_COMMAND_IDS). */
export const DEVICE_LOG_COMMANDS: readonly DeviceLogCommand[] = [
  { id: 'iosbr.deviceLog.show', run: showDeviceLog, operation: () => vscode.l10n.t('Showing the device log') },
  { id: 'iosbr.deviceLog.filter', run: filterDeviceLog, operation: () => vscode.l10n.t('Filtering the device log') },
  { id: 'iosbr.deviceLog.pause', run: pauseDeviceLog, operation: () => vscode.l10n.t('Pausing the device log') },
  { id: 'iosbr.deviceLog.resume', run: resumeDeviceLog, operation: () => vscode.l10n.t('Resuming the device log') },
  { id: 'iosbr.deviceLog.save', run: saveDeviceLog, operation: () => vscode.l10n.t('Saving the device log') },
  { id: 'iosbr.deviceLog.stop', run: stopDeviceLog, operation: () => vscode.l10n.t('Stopping the device log') },
];

/** Registers a command with the shell's error presentation (the failure doctor included) and operation history. */
function register(context: DeviceLogCommandContext, command: DeviceLogCommand): vscode.Disposable {
  const { deps } = context;
  return vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
    const record = deps.history.start(command.id, undefined);
    deps.logger.info(`command ${command.id}`);
    try {
      await command.run(context, ...args);
      deps.history.finish(record, 'succeeded');
    } catch (err) {
      const presentation = presentError(err, command.operation());
      deps.history.finish(record, presentation.quiet ? 'cancelled' : 'failed', err);
      if (presentation.quiet) return;
      deps.logger.error(`${command.id} failed: ${presentation.detail ?? presentation.message}`);
      void showFailure(deps, presentation, err);
    }
  });
}

/**
 * Wires the device log feature into the extension: the streaming documents (scheme
 * `ios-device-log`), their commands, the status bar item, the error-code hovers, and the detection
 * of saved device logs. Everything registered is owned by `extensionContext.subscriptions`.
 */
export function registerDeviceLogs(extensionContext: vscode.ExtensionContext, deps: CommandDeps): void {
  const documents = new DeviceLogDocuments();
  const context: DeviceLogCommandContext = { documents, deps };
  extensionContext.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(DEVICE_LOG_SCHEME, documents),
    vscode.languages.registerHoverProvider([{ language: DEVICE_LOG_LANGUAGE }, { scheme: DEVICE_LOG_SCHEME }], new ErrorCodeHoverProvider()),
    watchForDeviceLogFiles(),
    followDeviceLogTail(),
    new DeviceLogStatusBar(documents),
    // Closing the document ends its stream.
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === DEVICE_LOG_SCHEME) documents.release(document.uri);
    }),
    ...DEVICE_LOG_COMMANDS.map((command) => register(context, command)),
  );
}
