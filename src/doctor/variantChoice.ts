import type { FailureIndex } from './failureIndex';
import type { CodeDomain, FailureEntry, FailurePhase } from './knowledgeModel';

/**
 * The entries for a code given what was written with it: those whose message matches the text (the
 * first text that selects any wins), else those of the operation that failed (when the text names it),
 * else every entry of the code, flagged ambiguous when there are several.
 */
export function chooseVariants(
  domain: CodeDomain,
  code: number,
  texts: readonly string[],
  index: FailureIndex,
  operation?: FailurePhase,
): { entries: FailureEntry[]; ambiguous: boolean } {
  const candidates = index.entriesForCode(domain, code);
  if (candidates.length <= 1) return { entries: candidates, ambiguous: false };
  for (const text of texts) {
    if (!text) continue;
    const specific = candidates.filter((e) => index.matchesMessage(e, text));
    if (specific.length > 0) return { entries: specific, ambiguous: false };
  }
  const ofOperation = operation ? candidates.filter((e) => e.phases.includes(operation)) : [];
  if (ofOperation.length > 0) return { entries: ofOperation, ambiguous: ofOperation.length > 1 };
  return { entries: candidates, ambiguous: true };
}
