import type { Lang } from '../common/localizedText';
import type { ResolvedFacts } from '../compat/resolveFacts';
import type { RestorePreflightResult } from '../restore/restorePreflight';

/** The note that says how to give a password, when a check stopped for the lack of one. */
export function passwordHint(result: RestorePreflightResult): string | undefined {
  return result.backup.password.kind === 'missing' ? 'Give the backup password with --password-stdin (first line of stdin) or the IOSBR_PASSWORD environment variable.' : undefined;
}

/**
 * Notes on the engineer's answers: which were not used because the backup or the device told the fact (what is
 * read wins), and which facts of the restore moment were taken from the answer although the device reports otherwise now.
 */
export function answerNoteLines(provenance: Pick<ResolvedFacts, 'unusedAnswers' | 'overriddenReads'>, lang: Lang): string[] {
  const lines: string[] = [];
  const unused = provenance.unusedAnswers.join(', ');
  if (unused) {
    lines.push(
      lang === 'ja'
        ? `  注: ${unused} への回答は使用していません（バックアップまたは端末から読み取った値を優先します）。`
        : `  note: the answer for ${unused} was not used: the backup or the device tells it, and what is read wins.`,
    );
  }
  const overridden = provenance.overriddenReads.join(', ');
  if (overridden) {
    lines.push(
      lang === 'ja'
        ? `  注: ${overridden} は端末が現在報告している値ではなく、指定された値（リストア時の状態）を使用しています。`
        : `  note: ${overridden} is taken from your answer (its state at restore time), not from what the device reports now.`,
    );
  }
  return lines;
}

/** The checks as JSON-ready data (the rules file itself is left out). */
export function preflightJson(result: RestorePreflightResult): Record<string, unknown> {
  return {
    checks: result.checks,
    blocked: result.blocked,
    clear: result.clear,
    backup: result.backup,
    target: result.target?.device ?? null,
    targetStorage: result.target ? { freeBytes: result.target.freeBytes ?? null, activationState: result.target.activationState ?? null } : null,
    sourceFacts: result.sourceFacts,
    targetFacts: result.targetFacts,
    provenance: result.provenance,
    report: result.report,
  };
}
