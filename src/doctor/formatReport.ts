import type { Lang, LocalizedText } from '../common/localizedText';
import type { FailureFinding, FailureReport, ParsedFailure } from './failureReport';
import type { FailureCertainty, FailureEntry } from './knowledgeModel';
import { codeLabel } from './readingTexts';

/** Descriptions longer than this are cut in the "Parsed" line (the whole line is shown above it). */
const MAX_QUOTED = 200;

const LABELS = {
  line: { en: 'Line', ja: '行' },
  from: { en: 'From', ja: '発生元' },
  field: { en: 'field', ja: 'フィールド' },
  cause: { en: 'cause level', ja: 'cause の階層' },
  parsed: { en: 'Parsed', ja: '解析結果' },
  readAs: { en: 'Read as', ja: '読み方' },
  note: { en: 'Note', ja: '注意' },
  causeText: { en: 'Cause', ja: '原因' },
  check: { en: 'Check', ja: '確認すること' },
  fix: { en: 'Fix', ja: '対処' },
  notes: { en: 'Notes', ja: '補足' },
  certainty: { en: 'Certainty', ja: '確度' },
  related: { en: 'Related', ja: '関連' },
  sources: { en: 'Sources', ja: '出典' },
  underlying: { en: 'Underlying', ja: '下位エラー' },
  exitStatus: { en: 'exit status', ja: '終了ステータス' },
  explainedAbove: { en: 'explained above', ja: '上で説明済み' },
  operation: { en: 'operation', ja: '操作' },
} satisfies Record<string, LocalizedText>;

const OPERATIONS: Record<NonNullable<ParsedFailure['operation']>, LocalizedText> = {
  backup: { en: 'backup', ja: 'バックアップ' },
  restore: { en: 'restore', ja: '復元' },
};

const CERTAINTY: Record<Exclude<FailureCertainty, 'reported'>, LocalizedText> = {
  'single-report': { en: 'single report', ja: '報告は 1 件のみ' },
  unconfirmed: { en: 'unconfirmed', ja: '未確認' },
  undocumented: { en: 'undocumented: no source gives a meaning', ja: '文書化されていない（意味を示す資料がない）' },
};

/** The report as lines of text for a terminal or an output channel, in one language. */
export function formatFailureReport(report: FailureReport, lang: Lang): string[] {
  const lines: string[] = [];
  const shown = new Set<string>();
  for (const finding of report.findings) {
    lines.push(...formatFinding(finding, report, lang, shown));
  }
  lines.push(summaryLine(report, lang));
  return lines;
}

function formatFinding(finding: FailureFinding, report: FailureReport, lang: Lang, shown: Set<string>): string[] {
  const out: string[] = [];
  if (finding.location) {
    out.push(`${LABELS.line[lang]} ${finding.location.line}: ${finding.location.text}`);
  } else if (finding.origin) {
    const o = finding.origin;
    const code = o.errorCode ? ` (${o.errorCode})` : '';
    const depth = o.causeDepth > 0 ? `, ${LABELS.cause[lang]} ${o.causeDepth}` : '';
    out.push(`${LABELS.from[lang]}: ${o.errorName}${code}, ${LABELS.field[lang]} ${o.field}${depth}`);
  }
  const parsed = parsedText(finding.parsed, lang);
  if (parsed) out.push(`  ${LABELS.parsed[lang]}: ${parsed}`);
  for (const link of finding.parsed.underlying) {
    const label = link.domain && link.code !== undefined ? `${link.domain}/${link.code}` : '';
    out.push(`  ${LABELS.underlying[lang]}: ${[label, link.text ? quote(link.text) : ''].filter(Boolean).join(' ')}`);
  }
  // The reading is worth a line whenever it is not simply the code as written.
  for (const r of finding.readings) {
    if (r.route !== 'as-written' || finding.readings.length > 1 || finding.parsed.form === 'number' || finding.parsed.form === 'lockdown-error') out.push(`  ${LABELS.readAs[lang]}: ${r.explanation[lang]}`);
  }
  for (const note of finding.notes) out.push(`  ${LABELS.note[lang]}: ${note[lang]}`);
  for (const id of finding.entryIds) {
    const entry = report.entries[id];
    if (!entry) continue;
    if (shown.has(id)) {
      out.push(`  ▶ ${entry.title[lang]} [${id}] ${lang === 'ja' ? `（${LABELS.explainedAbove.ja}）` : `(${LABELS.explainedAbove.en})`}`);
      continue;
    }
    shown.add(id);
    out.push(...formatEntry(entry, report, lang));
  }
  return out;
}

function formatEntry(entry: FailureEntry, report: FailureReport, lang: Lang): string[] {
  const out = [`  ▶ ${entry.title[lang]} [${entry.id}]`, `    ${LABELS.causeText[lang]}: ${entry.cause[lang]}`];
  out.push(`    ${LABELS.check[lang]}:`, ...entry.check.map((t) => `      • ${t[lang]}`));
  out.push(`    ${LABELS.fix[lang]}:`, ...entry.fix.map((t) => `      • ${t[lang]}`));
  if (entry.notes) out.push(`    ${LABELS.notes[lang]}:`, ...entry.notes.map((t) => `      • ${t[lang]}`));
  if (entry.certainty !== 'reported') out.push(`    ${LABELS.certainty[lang]}: ${CERTAINTY[entry.certainty][lang]}`);
  if (entry.related) {
    const related = entry.related.map((id) => (report.entries[id] ? `${report.entries[id].title[lang]} [${id}]` : id));
    out.push(`    ${LABELS.related[lang]}: ${related.join('; ')}`);
  }
  out.push(`    ${LABELS.sources[lang]}: ${entry.sources.join('; ')}`);
  return out;
}

function parsedText(p: ParsedFailure, lang: Lang): string {
  const parts: string[] = [];
  if (p.domain !== undefined && p.code !== undefined) parts.push(codeLabel(p.domain, p.code)[lang]);
  else if (p.code !== undefined) parts.push(String(p.code));
  if (p.exitStatus !== undefined) parts.push(`${LABELS.exitStatus[lang]} ${p.exitStatus}`);
  if (p.name) parts.push(p.name);
  if (p.operation) parts.push(lang === 'ja' ? `（${LABELS.operation.ja}: ${OPERATIONS[p.operation].ja}）` : `(${LABELS.operation.en}: ${OPERATIONS[p.operation].en})`);
  if (p.description) parts.push(quote(p.description));
  return parts.join(' ');
}

function summaryLine(report: FailureReport, lang: Lang): string {
  const recognised = report.findings.filter((f) => f.recognised).length;
  const lines = report.linesRead;
  // Reports on a thrown error read no lines; "in 0 lines" would only confuse.
  const where = lines === 0 ? { en: '', ja: '' } : { en: ` in ${lines} line${lines === 1 ? '' : 's'}`, ja: `${lines} 行から ` };
  const extras: string[] = [];
  if (report.omittedFindings > 0) {
    extras.push(lang === 'ja' ? `さらに ${report.omittedFindings} 件は上限を超えたため省略` : `${report.omittedFindings} more not shown (limit reached)`);
  }
  if (report.cutLines > 0) {
    extras.push(lang === 'ja' ? `${report.cutLines} 行は長すぎるため先頭のみ確認` : `${report.cutLines} over-long line${report.cutLines === 1 ? '' : 's'} examined only in part`);
  }
  const tail = extras.length > 0 ? (lang === 'ja' ? `（${extras.join('、')}）` : ` (${extras.join('; ')})`) : '';
  if (report.recognised) {
    return lang === 'ja' ? `${where.ja}${recognised} 件の失敗を認識した。${tail}` : `Recognised ${recognised} failure${recognised === 1 ? '' : 's'}${where.en}.${tail}`;
  }
  const parsed = report.findings.length;
  if (parsed > 0) {
    return lang === 'ja'
      ? `${where.ja}${parsed} 件を解析したが、既知の失敗として認識できたものはない。${tail}`
      : `Parsed ${parsed} item${parsed === 1 ? '' : 's'}${where.en}; none is a known failure.${tail}`;
  }
  return lang === 'ja'
    ? `${lines} 行の中に、エラーコード、lockdownd エラー、終了ステータス、既知のメッセージは見つからなかった。${tail}`
    : `Nothing recognised in ${lines} line${lines === 1 ? '' : 's'}: no error codes, lockdownd errors, exit statuses or known messages were found.${tail}`;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED)}…` : flat}"`;
}
