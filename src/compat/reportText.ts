import type { MatrixCell } from './cellCandidates';
import type { PreconditionResult } from './preconditionChecks';
import type { RestoreReport, Verdict } from './restoreReport';
import type { Action, CompatRules } from './rulesModel';
import type { Lang, LocalizedText } from '../common/localizedText';

/** Headings and words of the human-readable report, in both languages. */
const LABELS = {
  verdict: {
    yes: { en: 'Supported', ja: 'サポート対象' },
    no: { en: 'Not supported', ja: 'サポート対象外' },
    unknown: { en: 'Not decided yet', ja: '未確定' },
  },
  agent: { en: 'Agent authentication', ja: 'エージェント認証状態' },
  mdm: { en: 'MDM authentication', ja: 'MDM認証状態' },
  unknownState: { en: 'unknown (depends on the open questions)', ja: '不明（未回答の質問による）' },
  remarks: { en: 'Remarks', ja: '備考' },
  candidates: { en: 'Possible cases', ja: '該当しうるケース' },
  preconditions: { en: 'Preconditions', ja: '前提条件' },
  status: {
    pass: { en: 'pass', ja: 'OK' },
    fail: { en: 'FAIL', ja: 'NG' },
    unknown: { en: 'unknown', ja: '不明' },
    info: { en: 'note', ja: '注記' },
  },
  afterRestore: { en: 'After the restore', ja: '復元後に必要な作業' },
  instead: { en: 'Instead', ja: '代わりの対応' },
  questions: { en: 'Questions to answer', ja: '確認が必要な事項' },
  see: { en: 'See', ja: '参照' },
  source: { en: 'Source', ja: '出典' },
  verifiedOn: { en: 'verified on iOS', ja: '動作確認 iOS' },
} as const;

/** How much of a report to print. */
export interface ReportTextOptions {
  /** "table": the first line gives the table's answer (matrix); "overall": it includes the preconditions (preflight). */
  verdict: 'table' | 'overall';
  /** Whether to list the questions that remain. */
  questions: boolean;
}

/** Renders a report as plain text lines in one language (the CLI's human output; preflight reuses it). */
export function formatReportText(rules: CompatRules, report: RestoreReport, lang: Lang, options: ReportTextOptions): string[] {
  const t = (text: LocalizedText): string => text[lang];
  const lines: string[] = [];
  const verdict: Verdict = options.verdict === 'table' ? report.tableSupported : report.supported;
  const verdictSymbol = report.tableSupported === 'unknown' ? '' : ` (${rules.legend.supported[report.tableSupported].symbol})`;
  const subject = report.cell ? `: ${describeCell(rules, report.cell, lang)} [${report.cell.id}]` : '';
  lines.push(`${t(LABELS.verdict[verdict])}${verdictSymbol}${subject}`);
  lines.push(`${t(LABELS.agent)}: ${stateText(rules, 'agent', report.agent, lang)}`);
  lines.push(`${t(LABELS.mdm)}: ${stateText(rules, 'mdm', report.mdm, lang)}`);
  if (report.remarks) lines.push(`${t(LABELS.remarks)}: ${t(report.remarks)}`);
  if (!report.cell && report.candidates.length > 0) {
    lines.push('', `${t(LABELS.candidates)}:`);
    for (const cell of report.candidates) {
      lines.push(`  - ${describeCell(rules, cell, lang)} [${cell.id}]: ${rules.legend.supported[cell.supported ? 'yes' : 'no'].symbol}`);
    }
  }
  appendActions(lines, t(LABELS.afterRestore), report.postRestoreActions, lang);
  appendActions(lines, t(LABELS.instead), report.alternativeActions, lang);
  lines.push('', `${t(LABELS.preconditions)}:`);
  for (const p of report.preconditions) lines.push(...preconditionLines(p, lang));
  if (options.questions && report.questions.length > 0) {
    lines.push('', `${t(LABELS.questions)}:`);
    for (const q of report.questions) lines.push(`  - ${t(q.text)} (${q.fact})`);
  }
  const id = report.rules;
  lines.push('', `${t(LABELS.source)}: ${t(id.product)}, ${t(id.documentTitle)} Ver ${id.documentVersion} (${id.documentDate}), ${t(LABELS.verifiedOn)} ${id.verifiedIosVersion}`);
  return lines;
}

/** "Backup device is supervised / Different device / Unsupervised", in the document's own words. */
export function describeCell(rules: CompatRules, cell: MatrixCell, lang: Lang): string {
  const table = rules.tables.find((tbl) => tbl.source === cell.source);
  const parts = [
    table ? table.title[lang] : cell.source,
    rules.legend.target[cell.target].label[lang],
    rules.legend.targetSupervised[cell.targetSupervised ? 'yes' : 'no'].label[lang],
  ];
  return parts.join(' / ');
}

function stateText(rules: CompatRules, column: 'agent' | 'mdm', state: string, lang: Lang): string {
  const legend: Record<string, { symbol: string; label: LocalizedText } | undefined> = rules.legend[column];
  const entry = legend[state];
  return entry ? `${entry.symbol} ${entry.label[lang]} (${state})` : LABELS.unknownState[lang];
}

function appendActions(lines: string[], heading: string, actions: readonly Action[], lang: Lang): void {
  if (actions.length === 0) return;
  lines.push('', `${heading}:`);
  actions.forEach((action, i) => {
    lines.push(`  ${i + 1}. ${action.title[lang]}`);
    for (const paragraph of action.explanation) lines.push(`     ${paragraph[lang]}`);
    action.steps.forEach((step, j) => {
      lines.push(`     ${String.fromCharCode(97 + j)}. ${step.text[lang]}`);
      if (step.note) lines.push(`        ${step.note[lang]}`);
    });
    if (action.reference) lines.push(`     ${LABELS.see[lang]}: ${action.reference[lang]}`);
  });
}

function preconditionLines(p: PreconditionResult, lang: Lang): string[] {
  const status = p.informational ? LABELS.status.info : LABELS.status[p.status];
  return [`  [${status[lang]}] ${p.text[lang]}`, `      ${p.why[lang]}`];
}

