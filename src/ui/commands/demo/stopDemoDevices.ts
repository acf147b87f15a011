import * as vscode from 'vscode';
import type { CommandDeps } from '../commandDeps';

/** Stop Demo Devices: stops the simulated iPhones and returns to the configured usbmuxd. */
export async function stopDemoDevices(deps: CommandDeps): Promise<void> {
  await deps.demo.stop();
  vscode.window.setStatusBarMessage(vscode.l10n.t('Demo devices stopped; using usbmuxd at {0}.', deps.endpoint.addressText), 5000);
}
