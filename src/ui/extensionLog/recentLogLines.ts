/** One line kept for the diagnostic report. */
export interface RecentLogLine {
  time: Date;
  level: string;
  text: string;
}

/**
 * The last lines the extension logged, kept in memory so a diagnostic report can include them
 * without reading the output channel (which the API cannot read back).
 */
export class RecentLogLines {
  private readonly lines: RecentLogLine[] = [];

  constructor(private readonly capacity = 500) {}

  /** Records a line, dropping the oldest once the capacity is reached. */
  add(level: string, text: string, time: Date = new Date()): void {
    this.lines.push({ time, level, text });
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  /** The kept lines, oldest first (at most `limit` of the newest). */
  snapshot(limit = this.capacity): RecentLogLine[] {
    return this.lines.slice(-limit);
  }
}
