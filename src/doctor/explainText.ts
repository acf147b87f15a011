import { bareQueryFindings } from './bareQuery';
import { boundedLines, linesOfText, type BoundedLine } from './boundedLines';
import { failureIndexFor, type FailureIndex } from './failureIndex';
import type { FailureReport } from './failureReport';
import type { FailureKnowledgeBase } from './knowledgeModel';
import { findingsForLine } from './lineFindings';
import { ReportBuilder } from './reportBuilder';

/** Limits that keep the doctor bounded on huge inputs. */
export interface ExplainLimits {
  /** Findings kept in the report; later ones are only counted. */
  maxFindings?: number;
  /** Characters of one line that are examined; the rest of a longer line is skipped. */
  maxLineChars?: number;
}

/** Findings kept by default: more than any real failure log holds, few enough to read. */
export const DEFAULT_MAX_FINDINGS = 200;
/** Characters of a line examined by default: longer than any log line a tool prints. */
export const DEFAULT_MAX_LINE_CHARS = 8192;

/**
 * Finds every recognised failure in a text: a bare code ("211", "-211", exit status "45"), an error
 * name, a pasted message, or a whole log (idevicebackup2 output, iosbr output, a device syslog).
 */
export function explainText(text: string, kb: FailureKnowledgeBase, limits: ExplainLimits = {}): FailureReport {
  const index = failureIndexFor(kb);
  const report = new ReportBuilder(index, limits.maxFindings ?? DEFAULT_MAX_FINDINGS);
  const bare = bareQueryFindings(text, index);
  if (bare) {
    report.lineRead(false);
    for (const finding of bare) report.add(finding);
    return report.build();
  }
  let lineNumber = 0;
  for (const line of linesOfText(text, limits.maxLineChars ?? DEFAULT_MAX_LINE_CHARS)) {
    examineLine(line, ++lineNumber, index, report);
  }
  return report.build();
}

/** The same as explainText for a stream (a log file, stdin), read line by line with bounded memory. */
export async function explainStream(chunks: AsyncIterable<string | Uint8Array>, kb: FailureKnowledgeBase, limits: ExplainLimits = {}): Promise<FailureReport> {
  const index = failureIndexFor(kb);
  const report = new ReportBuilder(index, limits.maxFindings ?? DEFAULT_MAX_FINDINGS);
  const maxLineChars = limits.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  // A stream holding one short line ("echo 211 | iosbr explain -") is a query, like the same text on the command line.
  let first: BoundedLine | undefined;
  let lineNumber = 0;
  for await (const line of boundedLines(chunks, maxLineChars)) {
    if (lineNumber === 0 && first === undefined) {
      first = line;
      continue;
    }
    if (first) {
      examineLine(first, ++lineNumber, index, report);
      first = undefined;
    }
    examineLine(line, ++lineNumber, index, report);
  }
  if (first) {
    if (!first.cut) return explainText(first.text, kb, limits);
    examineLine(first, ++lineNumber, index, report);
  }
  return report.build();
}

function examineLine(line: BoundedLine, lineNumber: number, index: FailureIndex, report: ReportBuilder): void {
  report.lineRead(line.cut);
  for (const finding of findingsForLine(line.text, lineNumber, index)) report.add(finding);
}
