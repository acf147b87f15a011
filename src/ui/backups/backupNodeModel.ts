import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { BackupSummary } from '../../backup/format/backupFolder';
import { formatByteCount } from '../../common/byteCount';
import { marketingName } from '../../lockdown/productNames';
import { escapeMarkdown } from '../devices/deviceNodeModel';

/** The backup's state + kind, matched by `viewItem =~` in package.json menus. */
export type BackupContextValue = `${'complete' | 'incomplete'}${'Encrypted' | 'Plain' | 'Unknown'}Backup`;

/** Everything a backup node needs to render. */
export interface BackupNodeModel {
  dir: string;
  /** The UDID the backup's plists record; undefined when they record none. */
  udid?: string;
  label: string;
  description: string;
  tooltip: string;
  contextValue: BackupContextValue;
  icon: 'archive' | 'lock' | 'warning';
  summary: BackupSummary;
}

/** One device's backups (the group node). */
export interface BackupGroupModel {
  /** Stable id: the device's UDID, or the folder of a backup whose plists record none (it is a group of its own). */
  id: string;
  udid?: string;
  label: string;
  description: string;
  backups: BackupNodeModel[];
}

/** A date as the user's locale writes it, with minutes. */
export function formatBackupDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Builds the node model for one backup folder. */
export function backupNodeModel(summary: BackupSummary, locale: string): BackupNodeModel {
  const encryption = summary.encrypted === undefined ? 'Unknown' : summary.encrypted ? 'Encrypted' : 'Plain';
  const parts: string[] = [];
  if (summary.iOSVersion) parts.push(l10n.t('iOS {0}', summary.iOSVersion));
  if (summary.encrypted !== undefined) parts.push(summary.encrypted ? l10n.t('Encrypted') : l10n.t('Not encrypted'));
  parts.push(formatByteCount(summary.sizeBytes));
  if (!summary.complete) parts.push(l10n.t('Incomplete'));
  const label = summary.date ? formatBackupDate(summary.date, locale) : path.basename(summary.dir);
  const model = summary.productType ? (marketingName(summary.productType) ?? summary.productType) : undefined;
  const rows: [string, string | undefined][] = [
    [l10n.t('Device'), summary.deviceName],
    [l10n.t('Model'), model],
    [l10n.t('UDID'), summary.udid],
    [l10n.t('iOS'), summary.iOSVersion && (summary.buildVersion ? `${summary.iOSVersion} (${summary.buildVersion})` : summary.iOSVersion)],
    [l10n.t('Date'), summary.date ? formatBackupDate(summary.date, locale) : undefined],
    [l10n.t('Encrypted'), summary.encrypted === undefined ? l10n.t('Unknown') : summary.encrypted ? l10n.t('Yes') : l10n.t('No')],
    [l10n.t('Size'), formatByteCount(summary.sizeBytes)],
    [l10n.t('Complete'), summary.complete ? l10n.t('Yes') : l10n.t('No ({0})', summary.incompleteReason ?? l10n.t('unknown reason'))],
    [l10n.t('Folder'), summary.dir],
  ];
  const tooltip = [
    ...rows.filter((r): r is [string, string] => r[1] !== undefined).map(([k, v]) => `${escapeMarkdown(k)}: ${escapeMarkdown(v)}  `),
    ...(summary.notes.length ? ['', `**${escapeMarkdown(l10n.t('Notes'))}**`, ...summary.notes.map((n) => `- ${escapeMarkdown(n)}`)] : []),
  ].join('\n');
  return {
    dir: summary.dir,
    udid: summary.udid,
    label,
    description: parts.join(' · '),
    tooltip,
    contextValue: `${summary.complete ? 'complete' : 'incomplete'}${encryption}Backup`,
    icon: !summary.complete ? 'warning' : summary.encrypted ? 'lock' : 'archive',
    summary,
  };
}

/** Groups backups by device (the UDID their plists record), newest backup first, devices by name. */
export function groupBackups(summaries: readonly BackupSummary[], locale: string): BackupGroupModel[] {
  const byDevice = new Map<string, BackupSummary[]>();
  for (const s of summaries) {
    const id = s.udid ?? `folder:${s.dir}`;
    byDevice.set(id, [...(byDevice.get(id) ?? []), s]);
  }
  const groups: BackupGroupModel[] = [];
  for (const [id, list] of byDevice) {
    const udid = list[0].udid;
    list.sort((a, b) => (b.date?.getTime() ?? 0) - (a.date?.getTime() ?? 0));
    const named = list.find((s) => s.deviceName) ?? list[0];
    const model = named.productType ? (marketingName(named.productType) ?? named.productType) : undefined;
    const count = list.length === 1 ? l10n.t('1 backup') : l10n.t('{0} backups', list.length);
    groups.push({
      id,
      udid,
      label: named.deviceName ?? udid ?? path.basename(named.dir),
      description: [model, count].filter((x): x is string => x !== undefined).join(' · '),
      backups: list.map((s) => backupNodeModel(s, locale)),
    });
  }
  return groups.sort((a, b) => a.label.localeCompare(b.label));
}
