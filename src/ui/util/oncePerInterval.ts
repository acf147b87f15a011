/**
 * Lets an action through at most once per interval and drops the calls in between. Unlike a debouncer it
 * runs the first call at once: a notification that something needs the person now must not wait, only
 * its repeats are noise.
 */
export class OncePerInterval {
  private lastRunAt: number | undefined;

  /** `now` is the clock (milliseconds); tests pass a fake one. */
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs the action unless it ran less than the interval ago; returns whether it ran. */
  run(action: () => void): boolean {
    const at = this.now();
    if (this.lastRunAt !== undefined && at - this.lastRunAt < this.intervalMs) return false;
    this.lastRunAt = at;
    action();
    return true;
  }
}
