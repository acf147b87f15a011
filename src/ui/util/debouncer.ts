/**
 * Runs an action once after a burst of triggers has gone quiet. usbmuxd announces every device of
 * a Listen as separate Attached messages (and USB and Wi-Fi as two), so one refresh per burst
 * keeps the tree from redrawing for each of them.
 */
export class Debouncer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly action: () => void,
  ) {}

  /** Schedules the action, pushing back one that is already waiting. */
  trigger(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.action();
    }, this.delayMs);
  }

  /** True while an action is waiting to run. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Drops a waiting action. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
