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

  /**
   * The report, with the counters the caller kept. `covered` is false when part of what the level promises
   * could not be checked (the files of an encrypted backup without its password): nothing found is then
   * not the same as healthy.
   */
  report(base: Pick<BackupHealth, 'backupDir' | 'level' | 'encrypted' | 'filesChecked' | 'bytesChecked'>, covered = true): BackupHealth {
    // Files are checked several at a time, so findings arrive in no fixed order; a report reads (and compares) best sorted.
    const health: BackupHealth = {
      ...base,
      healthy: covered && this.problemCount === 0,
      problems: [...this.problems].sort(byPlace),
      tolerated: [...this.tolerated].sort(),
    };
    if (this.problemsPastCap > 0) health.problemsNotListed = this.problemsPastCap;
    if (this.toleratedPastCap > 0) health.toleratedNotListed = this.toleratedPastCap;
    if (this.notChecked.length > 0) health.notChecked = this.notChecked;
    return health;
  }
}

/** The folder's own files first (in the order they were checked), then by domain and path. */
function byPlace(a: HealthProblem, b: HealthProblem): number {
  if (a.domain === null || b.domain === null) return a.domain === b.domain ? 0 : a.domain === null ? -1 : 1;
  return compare(a.domain, b.domain) || compare(a.relativePath, b.relativePath);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One sentence: ends with a full stop (messages reused from errors sometimes already do). */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
