import { BoundedList } from '../common/boundedList';
import { formatLogEntry } from './formatLogEntry';
import { matchesLogFilter, NO_FILTER, type LogFilter } from './logFilter';
import type { DeviceLogEntry } from '../services/syslog/syslogRecord';

/** Entries kept for re-filtering and saving. */
export const DEFAULT_HISTORY_LIMIT = 100_000;
/**
 * Memory the kept entries may take. A record may be 16 KiB, so the entry cap alone would allow gigabytes
 * (100,000 × 16 KiB); with typical lines of about 100 characters the entry cap is reached first (about 47 MiB).
 */
export const DEFAULT_HISTORY_BYTES = 64 * 1024 * 1024;
/** Lines kept in the shown document (the editor re-reads it on every refresh, so it stays moderate). */
export const DEFAULT_VISIBLE_LIMIT = 10_000;
/** Size of the shown document, for the same reason. */
export const DEFAULT_VISIBLE_BYTES = 8 * 1024 * 1024;

/** One kept entry with its line, formatted once. */
interface KeptEntry {
  entry: DeviceLogEntry;
  line: string;
}

/**
 * Memory a string may take: V8 stores text with characters beyond Latin-1 as UTF-16, two bytes per code unit,
 * so counting that way bounds the real memory whatever the device sends.
 */
function stringBytes(text: string): number {
  return text.length * 2;
}

/** A kept entry's memory: its line, and the entry's own text (the other fields are short and fixed in number). */
function keptEntryBytes({ entry, line }: KeptEntry): number {
  return stringBytes(line) + stringBytes(entry.kind === 'text' ? entry.text : entry.message);
}

/** Counters the editor shows beside the document. */
export interface DeviceLogViewStats {
  received: number;
  kept: number;
  /** Memory the kept entries take (counted as UTF-16, see DEFAULT_HISTORY_BYTES). */
  keptBytes: number;
  shown: number;
  paused: boolean;
}

/**
 * The editor-side model of a streaming device log, free of any editor API: a bounded history of
 * entries, the filter (changeable while streaming: the shown lines are rebuilt from the history),
 * pause/resume (entries keep arriving into the history; the shown lines freeze), and notes such as
 * the closing line. `append` says whether the shown text changed; the editor then asks for `text()`.
 */
export class DeviceLogView {
  private readonly history: BoundedList<KeptEntry>;
  private readonly visible: BoundedList<string>;
  private readonly notes: string[] = [];
  private activeFilter: LogFilter = NO_FILTER;
  private isPaused = false;
  private received = 0;

  constructor(options: { historyLimit?: number; historyBytes?: number; visibleLimit?: number; visibleBytes?: number } = {}) {
    this.history = new BoundedList(options.historyLimit ?? DEFAULT_HISTORY_LIMIT, {
      maxBytes: options.historyBytes ?? DEFAULT_HISTORY_BYTES,
      sizeOf: keptEntryBytes,
    });
    this.visible = new BoundedList(options.visibleLimit ?? DEFAULT_VISIBLE_LIMIT, {
      maxBytes: options.visibleBytes ?? DEFAULT_VISIBLE_BYTES,
      sizeOf: stringBytes,
    });
  }

  get filter(): LogFilter {
    return this.activeFilter;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Adds arrived entries; returns true when the shown text changed. */
  append(entries: readonly DeviceLogEntry[]): boolean {
    let changed = false;
    for (const entry of entries) {
      const line = formatLogEntry(entry);
      this.received++;
      this.history.push({ entry, line });
      if (!this.isPaused && matchesLogFilter(entry, this.activeFilter, line)) {
        this.visible.push(line);
        changed = true;
      }
    }
    return changed;
  }

  /** Applies a new filter to everything kept and to what arrives next. */
  setFilter(filter: LogFilter): void {
    this.activeFilter = filter;
    if (!this.isPaused) this.rebuild();
  }

  /** Freezes the shown lines; entries keep arriving into the history. */
  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
  }

  /** Shows everything that arrived while paused (through the current filter) and follows the stream again. */
  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.rebuild();
  }

  /** Adds a line that is not a device record (e.g. why the stream ended); notes always show, after the records. */
  addNote(text: string): void {
    this.notes.push(text);
  }

  /** The shown document: the newest matching lines, then the notes. */
  text(): string {
    const lines = this.visible.toArray();
    if (this.notes.length) lines.push(...this.notes);
    return lines.length ? lines.join('\n') + '\n' : '';
  }

  /** Every kept entry that passes the filter (not only the shown tail), then the notes: what "save" writes. */
  matchingText(): string {
    const lines: string[] = [];
    this.history.forEach(({ entry, line }) => {
      if (matchesLogFilter(entry, this.activeFilter, line)) lines.push(line);
    });
    lines.push(...this.notes);
    return lines.length ? lines.join('\n') + '\n' : '';
  }

  /** Counters for the status line. */
  stats(): DeviceLogViewStats {
    return { received: this.received, kept: this.history.length, keptBytes: this.history.byteSize, shown: this.visible.length, paused: this.isPaused };
  }

  private rebuild(): void {
    this.visible.clear();
    this.history.forEach(({ entry, line }) => {
      if (matchesLogFilter(entry, this.activeFilter, line)) this.visible.push(line);
    });
  }
}
