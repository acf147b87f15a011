import * as vscode from 'vscode';
import { devicesFor } from '../devices/pickDevices';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import { DEVICE_LOG_LANGUAGE } from '../../deviceLog/deviceLogLanguageDetector';
import type { CommandDeps } from '../commandDeps';

/** Show Device Log: streams the chosen device's log into a read-only editor (or shows the running one). */
export async function showDeviceLog(deps: CommandDeps, node?: DeviceTreeNode): Promise<void> {
  const [device] = await devicesFor(deps, node, undefined, {
    placeHolder: vscode.l10n.t('Choose the device whose log to show'),
    noneText: vscode.l10n.t('No device is attached.'),
  });
  if (!device) return;
  const running = deps.deviceLogs.streamingFor(device.udid);
  if (running) {
    await vscode.window.showTextDocument(running.uri, { preview: false });
    return;
  }
  const name = device.facts?.name ?? device.udid;
  const uri = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t({ message: 'Connecting to the log of {0}…', args: [name], comment: ['{0} is the device name'] }) },
    () => deps.deviceLogs.open(device.udid, name, (session) => session.start(deps.endpoint.client, deps.logger.child('syslog'))),
  );
  const document = await vscode.workspace.openTextDocument(uri);
  // The .devicelog path selects the language; set it anyway in case a user association overrides it.
  if (document.languageId !== DEVICE_LOG_LANGUAGE) await vscode.languages.setTextDocumentLanguage(document, DEVICE_LOG_LANGUAGE);
  await vscode.window.showTextDocument(document, { preview: false });
}
