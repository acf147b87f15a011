import * as l10n from '@vscode/l10n';
import type { Lang } from '../../common/localizedText';
import { formatBenchDuration } from '../../kitting/benchDuration';
import { FINISHED_BENCH_STATES, type BenchCheck, type BenchRow, type BenchRowState } from '../../kitting/benchRow';
import { escapeMarkdown } from '../devices/deviceNodeModel';

/** A codicon and the theme colour it is drawn in (none: the list's foreground). */
export interface BenchIcon {
  id: string;
  color?: string;
}

/** The row's menus (`viewItem =~` in package.json): Cancel on active rows, Retry on finished ones. */
export type BenchRowContextValue = `${'active' | 'finished'}${'Backup' | 'Restore'}BenchRow`;

/** One line under a row: a check, a cause, a next step. */
export interface BenchDetailModel {
  /** Stable within the row, for the tree item's id. */
  key: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: BenchIcon;
}

/** Everything a bench row's tree item shows, computed from the row alone (no vscode types, so it is unit-tested). */
export interface BenchRowModel {
  id: string;
  label: string;
  description: string;
  /** Markdown for the hover. */
  tooltip: string;
  icon: BenchIcon;
  contextValue: BenchRowContextValue;
  details: BenchDetailModel[];
}

/** The longest cause a description carries; the rest is in the hover and the children. */
const DESCRIPTION_CAUSE_CHARS = 80;

const RUNNING: BenchIcon = { id: 'sync~spin' };
const ICONS: Record<BenchRowState, BenchIcon> = {
  queued: { id: 'clock' },
  'waiting-for-trust': { id: 'workspace-untrusted', color: 'list.warningForeground' },
  checking: { id: 'loading~spin' },
  'waiting-for-passcode': { id: 'lock', color: 'list.warningForeground' },
  'backing-up': RUNNING,
  restoring: RUNNING,
  restarting: { id: 'debug-restart' },
  done: { id: 'check', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'list.errorForeground' },
  refused: { id: 'circle-slash', color: 'list.errorForeground' },
  cancelled: { id: 'close' },
};

const CHECK_ICONS: Record<BenchCheck['status'], BenchIcon> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  warn: { id: 'warning', color: 'list.warningForeground' },
  fail: { id: 'error', color: 'list.errorForeground' },
  unknown: { id: 'question' },
};

/** True for a row that no longer changes by itself (only Retry starts it again). */
export function isFinishedBenchRow(row: Pick<BenchRow, 'state'>): boolean {
  return FINISHED_BENCH_STATES.includes(row.state);
}

/** The text cut to `max` characters, on a word when one ends near the cut. */
function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** The check that stopped a refused restore: the failure's own title, else the first failed check. */
function refusingCheck(row: BenchRow, lang: Lang): string | undefined {
  return row.failure?.cause?.[lang] ?? row.checks?.find((c) => c.status === 'fail')?.title[lang];
}

/** The state in words, with the percent while data moves: "backing up 45 %", "failed: <cause>". */
export function benchStateText(row: BenchRow, lang: Lang, now: number): string {
  const percent = row.percent === undefined ? undefined : Math.max(0, Math.min(100, Math.round(row.percent)));
  switch (row.state) {
    case 'queued':
      return l10n.t('queued');
    case 'waiting-for-trust':
      return l10n.t('waiting for Trust');
    case 'checking':
      return l10n.t('checking');
    case 'waiting-for-passcode':
      return l10n.t('waiting for the passcode');
    case 'backing-up':
      return percent === undefined ? l10n.t('backing up') : l10n.t('backing up {0} %', percent);
    case 'restoring':
      return percent === undefined ? l10n.t('restoring') : l10n.t('restoring {0} %', percent);
    case 'restarting':
      return l10n.t('restarting');
    case 'done':
      return row.startedAt === undefined ? l10n.t('done') : l10n.t('done in {0}', formatBenchDuration((row.endedAt ?? now) - row.startedAt, lang));
    case 'failed': {
      const cause = row.failure?.cause?.[lang] ?? row.failure?.sentence;
      return cause ? l10n.t('failed: {0}', shorten(cause, DESCRIPTION_CAUSE_CHARS)) : l10n.t('failed');
    }
    case 'refused': {
      const check = refusingCheck(row, lang);
      // A check's title names what must hold ("Find My off"), so the row names the check rather than stating it.
      return check ? l10n.t('refused by the check "{0}"', shorten(check, DESCRIPTION_CAUSE_CHARS)) : l10n.t('refused');
    }
    case 'cancelled':
      return l10n.t('cancelled');
  }
}

function operationText(row: BenchRow): string {
  return row.operation === 'backup' ? l10n.t('Backup') : l10n.t('Restore');
}

function checkStatusText(status: Exclude<BenchCheck['status'], 'pass'>): string {
  return { warn: l10n.t('warning'), fail: l10n.t('failed'), unknown: l10n.t('not known') }[status];
}

function tooltipOf(row: BenchRow, state: string): string {
  const d = row.device;
  const lines: [string, string | undefined][] = [
    [l10n.t('Operation'), row.attempt > 1 ? l10n.t('{0} (attempt {1})', operationText(row), row.attempt) : operationText(row)],
    [l10n.t('State'), state],
    [l10n.t('Model'), d.model],
    [l10n.t('Serial number'), d.serialNumber],
    [l10n.t('iOS'), d.iosVersion],
    [l10n.t('UDID'), d.udid],
    [l10n.t('Backup restored'), row.backupDir],
    [l10n.t('Backup folder'), row.backupResultDir],
    [l10n.t('Progress'), row.detail],
    [l10n.t('Result'), row.summary],
    [l10n.t('Error'), row.failure?.sentence],
  ];
  const body = lines.filter((l): l is [string, string] => Boolean(l[1])).map(([key, value]) => `**${escapeMarkdown(key)}:** ${escapeMarkdown(value)}`);
  return [`**${escapeMarkdown(d.name ?? d.udid)}**`, '', ...body].join('  \n');
}

function stepDetails(prefix: string, steps: readonly { en: string; ja: string }[], lang: Lang): BenchDetailModel[] {
  return steps.map((step, i) => ({ key: `${prefix}${i}`, label: `${i + 1}. ${step[lang]}`, tooltip: step[lang], icon: { id: 'arrow-right' } }));
}

/** The lines under a row: a restore's checks, a finished restore's next steps, a failure's cause and what to do. */
function detailsOf(row: BenchRow, lang: Lang): BenchDetailModel[] {
  const details: BenchDetailModel[] = [];
  const failure = row.failure;
  if (failure && (row.state === 'failed' || row.state === 'refused')) {
    // A refusal's cause is the failed check, listed below with the others: its line says what the check found instead.
    const refused = row.state === 'refused';
    details.push({
      key: 'cause',
      label: refused ? failure.sentence : (failure.cause?.[lang] ?? failure.sentence),
      description: refused ? undefined : failure.code,
      tooltip: failure.sentence,
      icon: ICONS[row.state],
    });
    details.push(...stepDetails('fix', failure.nextSteps, lang));
  }
  // The checks that passed are one line (named in its hover): with many devices on the bench, what did not pass is what is read.
  const checks = row.checks ?? [];
  const passed = checks.filter((c) => c.status === 'pass');
  if (passed.length > 0) {
    details.push({
      key: 'checks:passed',
      label: passed.length === 1 ? l10n.t('1 check passed') : l10n.t('{0} checks passed', passed.length),
      tooltip: passed.map((c) => c.title[lang]).join('\n'),
      icon: CHECK_ICONS.pass,
    });
  }
  for (const check of checks) {
    if (check.status === 'pass') continue;
    details.push({ key: `check:${check.id}`, label: check.title[lang], description: checkStatusText(check.status), icon: CHECK_ICONS[check.status] });
  }
  if (row.state === 'done' && row.nextSteps) details.push(...stepDetails('next', row.nextSteps, lang));
  if (row.state === 'done' && row.operation === 'backup' && row.summary) {
    details.push({ key: 'result', label: row.summary, description: row.backupResultDir, tooltip: row.backupResultDir, icon: { id: 'archive' } });
  }
  return details;
}

/** Builds what one bench row shows; `now` makes the duration of a row still counting deterministic in tests. */
export function benchRowModel(row: BenchRow, lang: Lang, now: number): BenchRowModel {
  const state = benchStateText(row, lang, now);
  return {
    id: row.id,
    label: row.device.name ?? row.device.udid,
    description: state,
    tooltip: tooltipOf(row, state),
    icon: ICONS[row.state],
    contextValue: `${isFinishedBenchRow(row) ? 'finished' : 'active'}${row.operation === 'backup' ? 'Backup' : 'Restore'}BenchRow`,
    details: detailsOf(row, lang),
  };
}
