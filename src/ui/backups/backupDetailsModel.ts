import * as l10n from '@vscode/l10n';
import { formatByteCount } from '../../common/byteCount';
import type { BackupInspection } from '../../backup/inspect/backupInspection';
import type { ManagementFact, ManagementSource } from '../../backup/inspect/backupManagement';
import type { InspectionOutcome, InspectionPassword } from './backupInspections';
import { escapeMarkdown } from '../devices/deviceNodeModel';

/** The icon of a detail row (ThemeIcon ids; `warning` is drawn in the warning colour). */
export type BackupDetailIcon = 'pass' | 'circle-slash' | 'question' | 'organization' | 'package' | 'database' | 'warning';

/** One row under an expanded backup: a fact with its value, and rows of its own for lists. */
export interface BackupDetailModel {
  /** Unique among its siblings; part of the tree item id. */
  key: string;
  label: string;
  description: string;
  /** Markdown for the hover: where the value came from. */
  tooltip: string;
  icon: BackupDetailIcon;
  children: BackupDetailModel[];
}

/** Apps listed one by one under the Apps row; a larger list ends with a row saying how many are left out. */
export const MAX_APP_ROWS = 500;
/** Longest bundle id or app name shown (the backup is untrusted input). */
const MAX_TEXT = 200;

const clip = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);
const yesNo = (value: boolean): string => (value ? l10n.t('Yes') : l10n.t('No'));

/** The rows under an expanded backup: management state, apps, size, completeness, and what could not be read. */
export function backupDetailsModel(outcome: InspectionOutcome): BackupDetailModel[] {
  if (outcome.kind === 'failed') {
    return [row('failed', l10n.t('Cannot read the backup'), outcome.message, escapeMarkdown(outcome.message), 'warning')];
  }
  const inspection = outcome.inspection;
  const management = inspection.management;
  const rows: BackupDetailModel[] = [
    managementRow(inspection, outcome.password, 'supervised', l10n.t('Supervised'), management.supervised === null ? null : yesNo(management.supervised), iconOf(management.supervised)),
    managementRow(inspection, outcome.password, 'mdmEnrolled', l10n.t('MDM enrolled'), management.mdmEnrolled === null ? null : yesNo(management.mdmEnrolled), iconOf(management.mdmEnrolled)),
    managementRow(inspection, outcome.password, 'organizationName', l10n.t('Organization'), management.organizationName === null ? null : clip(management.organizationName), management.organizationName === null ? 'question' : 'organization'),
    appsRow(inspection),
    row('size', l10n.t('Size'), formatByteCount(inspection.totalBytes), escapeMarkdown(l10n.t('Bytes on disk in the backup folder: {0}', inspection.totalBytes)), 'database'),
    completeRow(inspection),
  ];
  if (inspection.problems.length > 0) {
    rows.push({
      ...row('problems', l10n.t('Could not be read'), String(inspection.problems.length), inspection.problems.map((p) => `- ${escapeMarkdown(p)}`).join('\n'), 'warning'),
      children: inspection.problems.map((p, i) => row(`problem-${i}`, p, '', escapeMarkdown(p), 'warning')),
    });
  }
  return rows;
}

function row(key: string, label: string, description: string, tooltip: string, icon: BackupDetailIcon): BackupDetailModel {
  return { key, label, description, tooltip, icon, children: [] };
}

function iconOf(value: boolean | null): BackupDetailIcon {
  return value === null ? 'question' : value ? 'pass' : 'circle-slash';
}

/** Where a file of the backup is, as the engineer would look for it. */
function sourcePath(source: ManagementSource): string {
  return `${source.domain}/${source.relativePath}`;
}

/**
 * A management fact with the file it came from in the hover. An unknown fact says why: the backup is
 * encrypted and no working password is saved, or the backup does not record it (the restore checks ask).
 */
function managementRow(
  inspection: BackupInspection,
  password: InspectionPassword,
  fact: ManagementFact,
  label: string,
  value: string | null,
  icon: BackupDetailIcon,
): BackupDetailModel {
  const sources = inspection.management.sources;
  const deciding = sources.filter((s) => s.facts.includes(fact));
  // A code span shows its text as is (escapes would show), so only a backtick that would end it is replaced.
  const sourceLines = (list: readonly ManagementSource[]): string[] => list.map((s) => `- \`${sourcePath(s).replace(/[`\r\n]/g, "'")}\`: ${escapeMarkdown(s.detail)}`);
  if (value !== null) {
    const tooltip = [`**${escapeMarkdown(label)}: ${escapeMarkdown(value)}**`, '', escapeMarkdown(l10n.t('Read from:')), ...sourceLines(deciding)].join('\n');
    return row(fact, label, value, tooltip, icon);
  }
  const locked = inspection.encrypted === true && password !== 'saved';
  const description = !locked
    ? l10n.t('Unknown — the backup does not record it')
    : password === 'savedRefused'
      ? l10n.t('Unknown — the saved password does not open the backup; verify its password to read it')
      : l10n.t('Unknown — the backup is encrypted; verify its password to read it');
  const tooltip = [
    `**${escapeMarkdown(label)}: ${escapeMarkdown(description)}**`,
    '',
    escapeMarkdown(locked ? l10n.t('The configuration-profile files of an encrypted backup can be read only with its password.') : l10n.t('The restore checks will ask for it instead of guessing.')),
    ...(sources.length ? ['', escapeMarkdown(l10n.t('Files looked at:')), ...sourceLines(sources)] : []),
  ].join('\n');
  return row(fact, label, description, tooltip, 'question');
}

/** The app count, expandable into one row per app (bundle id, name). */
function appsRow(inspection: BackupInspection): BackupDetailModel {
  const items = inspection.apps.items;
  const shown = items.slice(0, MAX_APP_ROWS);
  const children = shown.map((app, i) => {
    const bundleId = clip(app.bundleId);
    const name = app.name === null ? '' : clip(app.name);
    return row(`app-${i}`, bundleId, name, escapeMarkdown(name ? `${name} (${bundleId})` : bundleId), 'package');
  });
  if (items.length > shown.length) {
    const more = l10n.t('… and {0} more', items.length - shown.length);
    children.push(row('apps-more', more, '', escapeMarkdown(more), 'package'));
  }
  const tooltip = escapeMarkdown(l10n.t('Apps the backup holds (from Info.plist): {0}', inspection.apps.count));
  return { ...row('apps', l10n.t('Apps'), String(inspection.apps.count), tooltip, 'package'), children };
}

/** Complete, or why not. */
function completeRow(inspection: BackupInspection): BackupDetailModel {
  if (inspection.complete) return row('complete', l10n.t('Complete'), l10n.t('Yes'), escapeMarkdown(l10n.t('Status.plist says the backup finished.')), 'pass');
  const reasons = inspection.incompleteReasons.length ? inspection.incompleteReasons : [l10n.t('unknown reason')];
  const description = l10n.t('No — {0}', reasons.join(' '));
  return row('complete', l10n.t('Complete'), description, reasons.map((r) => `- ${escapeMarkdown(r)}`).join('\n'), 'warning');
}
