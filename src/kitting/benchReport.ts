import type { Lang, LocalizedText } from '../common/localizedText';
import { formatBenchDuration } from './benchDuration';
import { benchFailureCauseText } from './benchFailure';
import type { BenchRow } from './benchRow';
import { REPORT_TEXT as T } from './benchReportText';
import { summarizeBench } from './benchSummary';

/** The report's columns, in order (device, model, serial, iOS, operation, result, duration, cause, next steps). */
const COLUMNS = ['device', 'model', 'serial', 'ios', 'operation', 'result', 'duration', 'cause', 'nextSteps'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * The bench as a Markdown report for a ticket: a title, the date, the batch summary, one table row per device,
 * then for each failed or refused device its error, cause and next steps, and for each restored device its
 * next steps. Every text from a device or an error is escaped, so a name with a pipe or a tag cannot break
 * the table or inject markup.
 */
export function benchReportMarkdown(rows: readonly BenchRow[], lang: Lang, generatedAt: Date): string {
  const lines = [`# ${T.title[lang]}`, '', `${T.generated[lang]}: ${formatDate(generatedAt)}`, '', inline(T.summary[lang](summarizeBench(rows))), ''];
  if (rows.length === 0) return [...lines, T.noRows[lang], ''].join('\n');
  lines.push(tableLine(COLUMNS.map((c) => T.columns[c][lang])), tableLine(COLUMNS.map(() => '---')));
  for (const row of rows) lines.push(tableLine(COLUMNS.map((c) => cell(row, c, lang, 'markdown'))));
  for (const row of rows) {
    const steps = stepsOf(row);
    if (row.state === 'failed' || row.state === 'refused') {
      lines.push('', `### ${inline(deviceLabel(row))}: ${T.states[row.state][lang]}`, '');
      if (row.failure) lines.push(`- ${T.error[lang]}: ${inline(row.failure.sentence)}`);
      if (row.failure?.cause) lines.push(`- ${T.columns.cause[lang]}: ${inline(benchFailureCauseText(row.failure, lang))}`);
      if (steps.length > 0) lines.push(`- ${T.columns.nextSteps[lang]}:`, ...steps.map((s, i) => `  ${i + 1}. ${inline(s[lang])}`));
    } else if (row.state === 'done' && row.operation === 'restore' && steps.length > 0) {
      lines.push('', `### ${inline(deviceLabel(row))}: ${T.afterRestore[lang]}`, '');
      if (row.detail) lines.push(inline(row.detail), '');
      lines.push(...steps.map((s, i) => `${i + 1}. ${inline(s[lang])}`));
    }
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Starts the CSV text: a byte-order mark. Excel opens a .csv without one in the system's legacy code page (Shift_JIS
 * on Japanese Windows), so the support engineers' Japanese Excel would show every non-ASCII cell (Japanese headers,
 * device names, causes) as mojibake; with it, Excel reads the file as UTF-8. Other readers (LibreOffice, Python's
 * utf-8-sig, Node's TextDecoder) skip it.
 */
const UTF8_BOM = '\uFEFF';

/**
 * The bench as CSV (RFC 4180: every field quoted, quotes doubled, records ended by CRLF) with the same columns,
 * after a UTF-8 byte-order mark (see UTF8_BOM): the caller writes the string as UTF-8, unchanged.
 * A cell that starts with = + - @ (or a tab or carriage return) gets a leading single quote, so a spreadsheet
 * shows it as text instead of running it as a formula: device names and error texts are not ours to trust.
 */
export function benchReportCsv(rows: readonly BenchRow[], lang: Lang): string {
  const records = [COLUMNS.map((c) => T.columns[c][lang]), ...rows.map((row) => COLUMNS.map((c) => cell(row, c, lang, 'csv')))];
  return UTF8_BOM + records.map((fields) => fields.map(csvField).join(',') + '\r\n').join('');
}

function cell(row: BenchRow, column: Column, lang: Lang, format: 'markdown' | 'csv'): string {
  const d = row.device;
  switch (column) {
    case 'device':
      return deviceLabel(row);
    case 'model':
      return d.model ?? '';
    case 'serial':
      return d.serialNumber ?? '';
    case 'ios':
      return d.iosVersion ?? '';
    case 'operation':
      return T.operations[row.operation][lang];
    case 'result':
      return row.percent !== undefined && (row.state === 'backing-up' || row.state === 'restoring') ? `${T.states[row.state][lang]} ${row.percent} %` : T.states[row.state][lang];
    case 'duration':
      return row.startedAt !== undefined && row.endedAt !== undefined ? formatBenchDuration(row.endedAt - row.startedAt, lang) : '';
    case 'cause':
      return causeOf(row, lang);
    case 'nextSteps': {
      const steps = stepsOf(row);
      if (format === 'csv') return steps.map((s, i) => `${i + 1}. ${s[lang]}`).join('\n');
      // A restore's steps are many and long: the table points below, where each gets its line.
      if (row.state === 'done' && steps.length > 0) return T.stepsBelow[lang](steps.length);
      return steps.map((s) => s[lang]).join('; ');
    }
  }
}

function deviceLabel(row: BenchRow): string {
  return row.device.name ? `${row.device.name} (${row.device.udid})` : row.device.udid;
}

/** Failed or refused: the cause in one line (benchFailureCauseText); otherwise what the row says. */
function causeOf(row: BenchRow, lang: Lang): string {
  if (row.failure) return benchFailureCauseText(row.failure, lang);
  return row.state === 'done' || row.state === 'cancelled' ? (row.detail ?? '') : '';
}

function stepsOf(row: BenchRow): LocalizedText[] {
  return row.failure?.nextSteps ?? row.nextSteps ?? [];
}

function formatDate(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Text on one Markdown line: no raw tags, no line breaks. */
/**
 * One line of Markdown text that renders as written: "<" would open an HTML tag and "&name;" an entity, so those are
 * escaped; ">" is left alone, as menu paths in the next steps ("Settings > General") are read in the raw file too.
 */
function inline(text: string): string {
  return text.replace(/&(?=#?\w+;)/g, '&amp;').replace(/</g, '&lt;').replace(/\r\n|\r|\n/g, ' ');
}

function tableLine(cells: readonly string[]): string {
  // Pipes would end the cell; line breaks would end the table.
  return `| ${cells.map((c) => inline(c).replace(/\|/g, '\\|')).join(' | ')} |`;
}

function csvField(text: string): string {
  const guarded = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${guarded.replace(/"/g, '""')}"`;
}
