import * as vscode from 'vscode';
import type { CommandDeps } from '../commandDeps';

/** Start Demo Devices: runs the simulated iPhones in-process and shows them in the Devices view. */
export async function startDemoDevices(deps: CommandDeps): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Starting the demo devices…') }, () => deps.demo.start());
  await vscode.commands.executeCommand('iosbr.devices.focus');
  await deps.monitor.ensureStarted();
  vscode.window.setStatusBarMessage(vscode.l10n.t('Demo devices started on {0}.', deps.endpoint.addressText), 5000);
}
