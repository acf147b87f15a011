import type { BackupHealth, HealthProblem } from './backupHealth';

/** Problems listed in one health report; a wrecked backup of 300,000 files must not fill memory or a screen. */
export const MAX_LISTED_PROBLEMS = 10_000;
/** Tolerated oddities listed in one health report (they are informational, so far fewer are kept). */
export const MAX_LISTED_TOLERATED = 1_000;

/**
 * What a health check has found so far: problems, tolerated oddities and what it could not check, each
 * list capped, with counts of what went past the cap.
 */
export class HealthFindings {
  readonly problems: HealthProblem[] = [];
  readonly tolerated: string[] = [];
  readonly notChecked: string[] = [];
  private problemsPastCap = 0;
  private toleratedPastCap = 0;

  /** Records one problem of a folder-level file (domain null) or of a backed-up file. */
  problem(domain: string | null, relativePath: string, problem: string): void {
    if (this.problems.length >= MAX_LISTED_PROBLEMS) this.problemsPastCap++;
    else this.problems.push({ domain, relativePath, problem: asSentence(problem) });
  }

  /** Records an oddity real devices produce, which does not make the backup unhealthy. */
  tolerate(sentence: string): void {
    if (this.tolerated.length >= MAX_LISTED_TOLERATED) this.toleratedPastCap++;
    else this.tolerated.push(asSentence(sentence));
  }

  /** Records a part of the check that could not run. */
  skipped(sentence: string): void {
    this.notChecked.push(asSentence(sentence));
  }

  /** Every problem found, listed or not. */
  get problemCount(): number {
    return this.problems.length + this.problemsPastCap;
  }

  /** The report, with the counters the caller kept. */
  report(base: Pick<BackupHealth, 'backupDir' | 'level' | 'encrypted' | 'filesChecked' | 'bytesChecked'>): BackupHealth {
    const health: BackupHealth = {
      ...base,
      healthy: this.problemCount === 0,
      problems: this.problems,
      tolerated: this.tolerated,
    };
    if (this.problemsPastCap > 0) health.problemsNotListed = this.problemsPastCap;
    if (this.toleratedPastCap > 0) health.toleratedNotListed = this.toleratedPastCap;
    if (this.notChecked.length > 0) health.notChecked = this.notChecked;
    return health;
  }
}

/** One sentence: ends with a full stop (messages reused from errors sometimes already do). */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
