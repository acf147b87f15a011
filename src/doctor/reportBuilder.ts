import type { FailureIndex } from './failureIndex';
import type { FailureFinding, FailureReport } from './failureReport';
import type { FailureEntry } from './knowledgeModel';

/** Collects findings up to a cap (the rest are counted), and the entries they refer to. */
export class ReportBuilder {
  private readonly findings: FailureFinding[] = [];
  private readonly entries: Record<string, FailureEntry> = {};
  private recognised = false;
  private omitted = 0;
  private lines = 0;
  private cut = 0;

  constructor(
    private readonly index: FailureIndex,
    private readonly maxFindings: number,
  ) {}

  /** Records that a line was read (and whether it was cut). */
  lineRead(cut: boolean): void {
    this.lines++;
    if (cut) this.cut++;
  }

  /** Adds a finding, or counts it when the cap is reached. */
  add(finding: FailureFinding): void {
    if (finding.recognised) this.recognised = true;
    if (this.findings.length >= this.maxFindings) {
      this.omitted++;
      return;
    }
    this.findings.push(finding);
    const ids = [...finding.entryIds, ...finding.readings.flatMap((r) => r.entryIds), ...finding.parsed.underlying.flatMap((u) => u.entryIds)];
    for (const id of ids) {
      const entry = this.index.entry(id);
      if (entry) this.entries[id] = entry;
    }
  }

  /** The report so far. */
  build(): FailureReport {
    return {
      findings: [...this.findings],
      entries: { ...this.entries },
      recognised: this.recognised,
      linesRead: this.lines,
      cutLines: this.cut,
      omittedFindings: this.omitted,
    };
  }
}
