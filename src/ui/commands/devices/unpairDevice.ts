import * as vscode from 'vscode';
import { unpairDevice as unpairFromDevice } from '../../../lockdown/pairing';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import { confirmAction } from '../../util/confirmAction';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from './pickDevices';

/** Unpair: after a modal confirmation, removes the pairing on the device and in usbmuxd. */
export async function unpairDevice(deps: CommandDeps, node?: DeviceTreeNode, nodes?: DeviceTreeNode[]): Promise<void> {
  const devices = await devicesFor(deps, node, nodes, {
    placeHolder: vscode.l10n.t('Choose the device to unpair'),
    filter: (d) => d.facts?.paired !== false,
    noneText: vscode.l10n.t('No attached device is paired with this computer.'),
  });
  if (devices.length === 0) return;
  const names = devices.map((d) => d.facts?.name ?? d.udid).join(', ');
  const detail = vscode.l10n.t('The device forgets this computer. It must be paired again (tap "Trust" on the device) before the next backup or restore.');
  if (!(await confirmAction(vscode.l10n.t('Unpair {0}?', names), detail, vscode.l10n.t('Unpair')))) return;
  for (const device of devices) {
    const { wasPaired } = await unpairFromDevice(deps.endpoint.client, device.udid, deps.logger);
    await deps.monitor.refreshFacts(device.udid);
    const name = device.facts?.name ?? device.udid;
    void vscode.window.showInformationMessage(
      wasPaired ? vscode.l10n.t('{0} no longer trusts this computer.', name) : vscode.l10n.t('{0} was not paired with this computer.', name),
    );
  }
}
