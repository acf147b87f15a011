import type { FailureReport } from './failureReport';
import type { FailureEntry } from './knowledgeModel';

/**
 * The entry that best explains a report: the first documented entry of the first recognised finding
 * (findings list the most specific entry first). Undefined when nothing was recognised: the doctor never guesses.
 */
export function primaryEntry(report: FailureReport): FailureEntry | undefined {
  for (const finding of report.findings) {
    if (!finding.recognised) continue;
    for (const id of finding.entryIds) {
      const entry = report.entries[id];
      if (entry && entry.certainty !== 'undocumented') return entry;
    }
  }
  return undefined;
}
