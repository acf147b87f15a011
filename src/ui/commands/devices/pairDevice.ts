import * as vscode from 'vscode';
import { pairDevice as pairWithDevice } from '../../../lockdown/pairing';
import { withOperationProgress } from '../../progress/withOperationProgress';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from './pickDevices';

/** Pair: asks the device to trust this computer and waits (bounded) for "Trust" to be tapped. */
export async function pairDevice(deps: CommandDeps, node?: DeviceTreeNode, nodes?: DeviceTreeNode[]): Promise<void> {
  const devices = await devicesFor(deps, node, nodes, {
    placeHolder: vscode.l10n.t('Choose the device to pair with'),
    filter: (d) => d.facts?.paired !== true,
    noneText: vscode.l10n.t('Every attached device already trusts this computer.'),
  });
  for (const device of devices) {
    const name = device.facts?.name ?? device.udid;
    // Pairing waits for a person at the device; the core bounds the wait, so the notification is not cancellable.
    await withOperationProgress(
      deps.operations,
      vscode.l10n.t('Pairing with {0}', name),
      async (report) => {
        await pairWithDevice(deps.endpoint.client, device.udid, {
          logger: deps.logger,
          onWaitingForTrust: () => report(undefined, vscode.l10n.t('Unlock {0}, tap "Trust" and enter its passcode…', name)),
        });
      },
      { cancellable: false },
    );
    await deps.monitor.refreshFacts(device.udid);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} now trusts this computer.', name));
  }
}
