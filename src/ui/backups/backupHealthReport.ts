import * as l10n from '@vscode/l10n';
import { formatByteCount } from '../../common/byteCount';
import { backupName, type BackupSummary } from '../../backup/format/backupFolder';
import type { BackupHealth, HealthProblem } from '../../backup/verify/backupHealth';
import { marketingName } from '../../lockdown/productNames';

/** Longest text taken from the backup into one line of the report (paths and names are untrusted input). */
const MAX_FIELD = 1000;

/**
 * One line of text from the backup, safe in Markdown source: control characters (a newline would
 * start a heading or a list item of its own) become "?", and very long values are cut.
 */
export function reportText(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '?');
  return flat.length > MAX_FIELD ? `${flat.slice(0, MAX_FIELD - 1)}…` : flat;
}

/** A value in a Markdown code span: backticks inside it cannot end the span early. */
function code(text: string): string {
  return `\`${reportText(text).replace(/`/g, "'")}\``;
}

/** A table cell: a pipe inside it cannot start another cell. */
function cell(text: string): string {
  return reportText(text).replace(/\|/g, '\\|');
}

/** Where the problem is: the domain and path inside it, or the folder's own file. */
export function problemLocation(problem: HealthProblem): string {
  return problem.domain === null ? problem.relativePath : `${problem.domain}/${problem.relativePath}`;
}

/** The device line: name, model (marketing name), iOS and build, as the listing read them. */
function deviceText(summary: BackupSummary): string {
  const model = summary.productType ? `${marketingName(summary.productType) ?? summary.productType} (${summary.productType})` : undefined;
  const ios = summary.iOSVersion ? `iOS ${summary.iOSVersion}${summary.buildVersion ? ` (${summary.buildVersion})` : ''}` : undefined;
  return [summary.deviceName, model, ios].filter((x): x is string => x !== undefined).join(', ') || l10n.t('unknown');
}

/** The title of the report's tab. */
export function backupHealthTitle(summary: BackupSummary): string {
  return l10n.t('Backup Health of {0}', backupName(summary));
}

/**
 * The health check as a Markdown document an engineer can attach to a ticket: which backup and
 * device, when and how thoroughly it was checked, the result, one line per problem (domain/path:
 * what is wrong), the oddities that were tolerated, what could not be checked, and what to do next.
 */
export function backupHealthReport(health: BackupHealth, summary: BackupSummary, checkedAt: Date, locale: string): string[] {
  const date = (d: Date): string => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(d);
  const problemTotal = health.problems.length + (health.problemsNotListed ?? 0);
  const result = health.healthy ? l10n.t('Healthy: no problem found') : problemTotal === 1 ? l10n.t('1 problem found') : l10n.t('{0} problems found', problemTotal);
  const level = health.level === 'full' ? l10n.t('Full (plists, Status and every file)') : l10n.t('Quick (plists and Status only)');
  const encrypted = health.encrypted === null ? l10n.t('Unknown') : health.encrypted ? l10n.t('Yes') : l10n.t('No');
  const lines = [
    `# ${reportText(backupHealthTitle(summary))}`,
    '',
    `| | |`,
    `|---|---|`,
    `| ${l10n.t('Backup')} | ${cell(health.backupDir)} |`,
    `| ${l10n.t('Device')} | ${cell(deviceText(summary))} |`,
    `| ${l10n.t('UDID')} | ${summary.udid === undefined ? l10n.t('not recorded in the backup') : cell(summary.udid)} |`,
    `| ${l10n.t('Backup date')} | ${summary.date ? cell(date(summary.date)) : l10n.t('unknown')} |`,
    `| ${l10n.t('Checked on')} | ${cell(date(checkedAt))} |`,
    `| ${l10n.t('Level')} | ${level} |`,
    `| ${l10n.t('Encrypted')} | ${encrypted} |`,
    `| ${l10n.t('Files checked')} | ${health.filesChecked} (${formatByteCount(health.bytesChecked)}) |`,
    `| ${l10n.t('Result')} | **${result}** |`,
    '',
    `## ${l10n.t('Problems')}`,
    '',
  ];
  if (health.problems.length === 0) lines.push(l10n.t('None.'));
  for (const p of health.problems) lines.push(`- ${code(problemLocation(p))}: ${reportText(p.problem)}`);
  if (health.problemsNotListed) lines.push(`- ${l10n.t('… and {0} more problems, not listed.', health.problemsNotListed)}`);
  lines.push('', `## ${l10n.t('Tolerated')}`, '', l10n.t('Oddities real devices produce, which do not stop a restore:'), '');
  if (health.tolerated.length === 0) lines.push(l10n.t('None.'));
  for (const t of health.tolerated) lines.push(`- ${reportText(t)}`);
  if (health.toleratedNotListed) lines.push(`- ${l10n.t('… and {0} more, not listed.', health.toleratedNotListed)}`);
  if (health.notChecked?.length) {
    lines.push('', `## ${l10n.t('Not checked')}`, '');
    for (const n of health.notChecked) lines.push(`- ${reportText(n)}`);
  }
  lines.push('', `## ${l10n.t('What to do next')}`, '', ...nextSteps(health).map((s) => `- ${s}`));
  return lines;
}

/** The advice that follows from the result. */
function nextSteps(health: BackupHealth): string[] {
  if (health.healthy && health.level === 'quick') {
    return [l10n.t('The quick check found nothing wrong, but it does not read the files; run Verify Backup for the full check before a restore.')];
  }
  if (health.healthy) {
    const steps = [l10n.t('The backup is intact: every file it lists is present and readable. Run the restore checks against the target device before restoring.')];
    if (health.notChecked?.length) steps.push(l10n.t('Some parts could not be checked (see "Not checked"); they may still fail during a restore.'));
    return steps;
  }
  const folderLevel = health.problems.some((p) => p.domain === null);
  return [
    l10n.t('Do not restore this backup as it is: the device would stop with error 205 "Multiple errors downloading files" or "the backup was corrupt or not compatible".'),
    ...(folderLevel ? [l10n.t('The backup folder\'s own files (Info.plist, Manifest.plist, Status.plist, Manifest.db) are damaged: ask for the whole backup folder again, copied while no backup was running.')] : []),
    l10n.t('If the device is still at hand, make a new backup of it and check that one.'),
    l10n.t('Otherwise use an older backup of the device, or extract the intact files (Extract Files from Backup…) and attach this report to the ticket.'),
  ];
}
