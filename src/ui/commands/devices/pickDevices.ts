import * as vscode from 'vscode';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import type { DeviceTreeNode } from '../../devices/devicesTreeProvider';
import { modelText } from '../../devices/deviceNodeModel';
import type { CommandDeps } from '../commandDeps';

/** The device a tree node belongs to (a property or warning row counts as its device). */
export function deviceOfNode(node: DeviceTreeNode): MonitoredDevice {
  return node.kind === 'device' ? node.device : node.parent.device;
}

/**
 * The devices a command works on: the multi-selection, else the clicked node, else one chosen in a
 * quick pick (the active device first). Returns [] when the user dismissed the pick or none fits.
 */
export async function devicesFor(
  deps: CommandDeps,
  node: DeviceTreeNode | undefined,
  nodes: readonly DeviceTreeNode[] | undefined,
  options: { placeHolder: string; filter?: (d: MonitoredDevice) => boolean; noneText: string },
): Promise<MonitoredDevice[]> {
  const fits = options.filter ?? (() => true);
  if (nodes && nodes.length > 1) return nodes.filter((n) => n.kind === 'device').map(deviceOfNode).filter(fits);
  if (node && typeof node === 'object' && 'kind' in node) return [deviceOfNode(node)];
  await deps.monitor.ensureStarted();
  const candidates = deps.monitor.devices().filter(fits);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(options.noneText);
    return [];
  }
  if (candidates.length === 1) return candidates;
  const active = deps.active.get();
  candidates.sort((a, b) => (a.udid === active?.udid ? -1 : b.udid === active?.udid ? 1 : 0));
  const picked = await vscode.window.showQuickPick(
    candidates.map((d) => ({
      label: d.facts?.name ?? d.udid,
      description: [modelText(d.facts), d.facts?.iosVersion && vscode.l10n.t('iOS {0}', d.facts.iosVersion)].filter(Boolean).join(' · '),
      detail: d.udid,
      device: d,
    })),
    { placeHolder: options.placeHolder, matchOnDetail: true },
  );
  return picked ? [picked.device] : [];
}
