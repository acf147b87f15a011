import * as vscode from 'vscode';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';

/** Copy Value: puts a device property's value (UDID, serial number, …) on the clipboard. */
export async function copyDeviceValue(deps: CommandDeps, node?: DeviceTreeNode): Promise<void> {
  if (!node || node.kind !== 'property') return;
  await deps.clipboard.writeText(node.model.value);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}.', node.model.label), 3000);
}
