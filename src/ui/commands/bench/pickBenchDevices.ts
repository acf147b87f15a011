import * as vscode from 'vscode';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import { modelText } from '../../devices/deviceNodeModel';
import type { CommandDeps } from '../commandDeps';

/** What the multi-pick returned: the devices ticked, and whether "every device attached from now on" was. */
export interface BenchDevicePick {
  devices: MonitoredDevice[];
  fromNowOn: boolean;
}

type Item = vscode.QuickPickItem & { device?: MonitoredDevice };

/**
 * Several attached devices ticked in one list, none ticked at first (a bench must not act on a device nobody
 * chose). `fromNowOn` adds one more entry, for the devices that attach later. Undefined when dismissed or
 * nothing was ticked; when no device fits and there is no such entry, says `noneText` and returns undefined.
 */
export async function pickBenchDevices(
  deps: CommandDeps,
  options: { title: string; filter: (d: MonitoredDevice) => boolean; noneText: string; fromNowOn?: { label: string; detail: string } },
): Promise<BenchDevicePick | undefined> {
  await deps.monitor.ensureStarted();
  const candidates = deps.monitor.devices().filter(options.filter);
  if (candidates.length === 0 && !options.fromNowOn) {
    void vscode.window.showInformationMessage(options.noneText);
    return undefined;
  }
  const items: Item[] = candidates.map((d) => ({
    label: d.facts?.name ?? d.udid,
    description: [modelText(d.facts), d.facts?.iosVersion && vscode.l10n.t('iOS {0}', d.facts.iosVersion), d.facts?.serialNumber].filter(Boolean).join(' · '),
    detail: d.udid,
    device: d,
  }));
  const later: Item | undefined = options.fromNowOn && { label: `$(plug) ${options.fromNowOn.label}`, detail: options.fromNowOn.detail, alwaysShow: true };
  if (later) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, later);
  const picked = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: vscode.l10n.t('Tick the devices, then press Enter'), canPickMany: true, ignoreFocusOut: true, matchOnDetail: true });
  if (!picked || picked.length === 0) return undefined;
  return { devices: picked.flatMap((p) => (p.device ? [p.device] : [])), fromNowOn: later !== undefined && picked.includes(later) };
}
