import type { Lang } from '../common/localizedText';
import type { BenchRow, BenchSummary } from '../kitting/benchRow';
import { benchBlockLines } from './benchBlock';
import { BenchEventLines } from './benchEventLines';

/** At most this many redraws of the live block a second (4): enough to look live, little enough for a slow terminal or SSH. */
const REDRAW_INTERVAL_MS = 250;

/** ANSI: cursor up n lines, clear the whole line, clear from the cursor to the end of the screen. */
const cursorUp = (n: number): string => `\x1b[${n}A`;
const CLEAR_LINE = '\x1b[2K';
const CLEAR_BELOW = '\x1b[J';

/** The terminal stderr is, when it is one: its width is read at every redraw, so a resized window is followed. */
export interface StderrTerminal {
  columns(): number;
}

/** stderr's terminal, or undefined when stderr is a file, a pipe or a CI log. */
export function stderrTerminal(stream: { isTTY?: boolean; columns?: number } = process.stderr): StderrTerminal | undefined {
  return stream.isTTY ? { columns: () => stream.columns || 80 } : undefined;
}

/** What the progress reads of the bench: its rows in order and their counts. */
export interface BenchProgressSource {
  readonly rows: readonly BenchRow[];
  summary(): BenchSummary;
}

/** A one-shot timer (setTimeout in the product; a hand-run one in tests, so no test waits on the clock). */
export type ScheduleRedraw = (run: () => void, delayMs: number) => { cancel(): void };

const realSchedule: ScheduleRedraw = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  // A pending redraw must not keep a finished command's process alive.
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

export interface BenchProgressOptions {
  source: BenchProgressSource;
  /** Writes one line (or, on a terminal, the block) to stderr; the newline is added by the writer. */
  note(text: string): void;
  lang: Lang;
  /** Present when stderr is a terminal: the block is redrawn in place; absent: a plain line per event. */
  terminal?: StderrTerminal;
  now?: () => number;
  schedule?: ScheduleRedraw;
}

/**
 * A batch's progress on stderr, one device per line. On a terminal, a block redrawn in place (cursor up, clear line)
 * at most four times a second; elsewhere, a plain line per event (see BenchEventLines), so a log reads top to bottom.
 */
export class BenchProgress {
  private readonly events: BenchEventLines;
  private readonly now: () => number;
  private readonly schedule: ScheduleRedraw;
  private drawnLines = 0;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private pending: { cancel(): void } | undefined;

  constructor(private readonly options: BenchProgressOptions) {
    this.events = new BenchEventLines(options.lang);
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? realSchedule;
  }

  /** Called for every change of a row. */
  update(row: BenchRow): void {
    if (!this.options.terminal) {
      for (const line of this.events.linesFor(row)) this.options.note(line);
      return;
    }
    if (this.pending) return;
    const wait = Math.max(0, this.lastDrawAt + REDRAW_INTERVAL_MS - this.now());
    this.pending = this.schedule(() => {
      this.pending = undefined;
      this.draw();
    }, wait);
  }

  /** Draws the block one last time (a terminal), so what stays on screen is the final state; stops the timer. */
  finish(): void {
    this.pending?.cancel();
    this.pending = undefined;
    if (this.options.terminal) this.draw();
  }

  private draw(): void {
    const terminal = this.options.terminal;
    if (!terminal) return;
    const { source, lang } = this.options;
    const lines = benchBlockLines(source.rows, source.summary(), lang, terminal.columns());
    const up = this.drawnLines > 0 ? cursorUp(this.drawnLines) : '';
    this.options.note(`${up}${lines.map((line) => `\r${CLEAR_LINE}${line}`).join('\n')}${CLEAR_BELOW}`);
    this.drawnLines = lines.length;
    this.lastDrawAt = this.now();
  }
}
