import * as vscode from 'vscode';
import { readDeviceFacts } from '../../../device/readDeviceFacts';
import { deviceNodeModel } from '../../devices/deviceNodeModel';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { devicesFor } from './pickDevices';

/** Show Device Info: reads the device's facts afresh and opens them as a Markdown document. */
export async function showDeviceInfo(deps: CommandDeps, node?: DeviceTreeNode): Promise<void> {
  const [device] = await devicesFor(deps, node, undefined, {
    placeHolder: vscode.l10n.t('Choose the device to describe'),
    noneText: vscode.l10n.t('No device is attached.'),
  });
  if (!device) return;
  const facts = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading {0}…', device.facts?.name ?? device.udid) },
    () => readDeviceFacts(deps.endpoint.client, device.udid, deps.logger.child('facts')),
  );
  const model = deviceNodeModel({ udid: device.udid, connectionType: device.connection.connectionType, facts, reading: false });
  const lines = [
    `# ${model.label}`,
    '',
    `| ${vscode.l10n.t('Property')} | ${vscode.l10n.t('Value')} |`,
    '|---|---|',
    ...model.properties.map((p) => `| ${p.label} | ${p.value.replace(/\|/g, '\\|')} |`),
    '',
    ...(model.warning ? [`> ${model.warning}`, ''] : []),
    vscode.l10n.t('Read at {0}.', new Date().toLocaleString(deps.locale)),
    '',
  ];
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
  await vscode.window.showTextDocument(document, { preview: true });
}
