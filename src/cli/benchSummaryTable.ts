import type { Lang, LocalizedText } from '../common/localizedText';
import type { BenchRow, BenchSummary } from '../kitting/benchRow';
import { benchCheckLines } from './benchEventLines';
import { formatBenchDuration } from '../kitting/benchDuration';
import { benchFailureCauseText } from '../kitting/benchFailure';
import { REPORT_TEXT } from '../kitting/benchReportText';
import { benchCountsText, benchDeviceLabel, benchDeviceName, benchFailureCause, benchRowDurationMs, printable } from './benchRowText';
import { cutToColumns, padToColumns, textColumns } from './terminalColumns';

/** The widest cause in the table; the whole sentence follows under the table. */
const CAUSE_COLUMNS = 60;

/** The columns of the exported bench report, but its last (the next steps follow the table here). */
const { device, model, serial, ios, operation, result, duration, cause } = REPORT_TEXT.columns;
const HEADER: readonly LocalizedText[] = [device, model, serial, ios, operation, result, duration, cause];

const WORDS = {
  nextSteps: { en: 'Next steps on', ja: '次の作業:' },
  why: { en: 'Why', ja: '原因' },
  failedCheck: { en: 'Failed check', ja: '不合格のチェック' },
  whatToDo: { en: 'What to do', ja: '対処' },
} satisfies Record<string, LocalizedText>;

/** One table row's cells, in the header's order. */
function cellsOf(row: BenchRow, lang: Lang): string[] {
  const d = row.device;
  const name = benchDeviceName(d);
  const took = benchRowDurationMs(row);
  const why = row.state === 'failed' || row.state === 'refused' ? benchFailureCause(row, lang) : undefined;
  return [
    name === undefined ? d.udid : `${name} (${d.udid})`,
    printable(d.model, 40) || '-',
    printable(d.serialNumber, 40) || '-',
    printable(d.iosVersion, 20) || '-',
    REPORT_TEXT.operations[row.operation][lang],
    REPORT_TEXT.states[row.state][lang],
    took === undefined ? '-' : formatBenchDuration(took, lang),
    why === undefined ? '-' : cutToColumns(why, CAUSE_COLUMNS),
  ];
}

/** The rows as a table with columns padded to fit (the last column is not padded). */
function tableLines(rows: readonly BenchRow[], lang: Lang): string[] {
  const header = HEADER.map((h) => h[lang]);
  const body = rows.map((row) => cellsOf(row, lang));
  const widths = header.map((h, i) => Math.max(textColumns(h), ...body.map((cells) => textColumns(cells[i]))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : padToColumns(c, widths[i]))).join('  ').trimEnd();
  return [line(header), ...body.map(line)];
}

/** What follows the table for one row: its checks (when asked), a done restore's next steps, a failure's sentence, cause and first fix. */
function afterTableLines(row: BenchRow, lang: Lang, withChecks: boolean): string[] {
  const label = benchDeviceLabel(row.device);
  const lines: string[] = withChecks ? benchCheckLines(row, lang) : [];
  if (row.state === 'done' && row.operation === 'restore' && row.nextSteps && row.nextSteps.length > 0) {
    lines.push(lang === 'ja' ? `${label} の${WORDS.nextSteps.ja}` : `${WORDS.nextSteps.en} ${label}:`);
    row.nextSteps.forEach((step, i) => lines.push(`  ${i + 1}. ${printable(step[lang], 1000)}`));
  }
  const failure = row.failure;
  if (failure && (row.state === 'failed' || row.state === 'refused')) {
    lines.push(`${label}: ${printable(failure.sentence, 1000)}`);
    // A refusal names the check (titled by what must hold) and what it found; a failure, the doctor's cause.
    if (failure.cause) lines.push(`  ${failure.finding ? WORDS.failedCheck[lang] : WORDS.why[lang]}: ${printable(benchFailureCauseText(failure, lang), 1000)}`);
    const fix = failure.nextSteps[0];
    if (fix) lines.push(`  ${WORDS.whatToDo[lang]}: ${printable(fix[lang], 1000)}`);
  }
  return lines;
}

/**
 * The batch's summary on stdout: the table (device, model, serial, iOS, operation, result, duration, cause), then
 * per device what to read (the failed and warned checks when `withChecks`, because a terminal's live block did not
 * show them; a done restore's next steps; a failure's sentence, the doctor's cause and the first fix), then the counts.
 */
export function benchSummaryLines(rows: readonly BenchRow[], summary: BenchSummary, lang: Lang, options: { withChecks: boolean }): string[] {
  const details = rows.flatMap((row) => afterTableLines(row, lang, options.withChecks));
  return [...tableLines(rows, lang), ...(details.length > 0 ? ['', ...details] : []), '', benchCountsText(summary, lang)];
}
