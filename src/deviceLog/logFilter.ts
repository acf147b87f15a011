import { UsageError } from '../common/errors';
import { levelRank, parseLevelName } from '../services/syslog/syslogLevel';
import type { DeviceLogEntry } from '../services/syslog/syslogRecord';

/** A filter as the user typed it (CLI flags or the editor's filter prompt); every part optional. */
export interface LogFilterSpec {
  /** Process names (exact) or pids, separated by "|", as idevicesyslog's -p takes them. */
  process?: string;
  /** Minimum level: this level and more severe ones pass. */
  level?: string;
  /** A regular expression tested against the whole line as shown; "/body/flags" sets flags. */
  match?: string;
}

/** A validated filter, ready to test entries. */
export interface LogFilter {
  readonly spec: LogFilterSpec;
  readonly processes?: ReadonlySet<string>;
  readonly pids?: ReadonlySet<number>;
  readonly minLevelRank?: number;
  readonly pattern?: RegExp;
}

/** The filter that lets everything through. */
export const NO_FILTER: LogFilter = { spec: {} };

const SLASHED = /^\/(.*)\/([gimsuy]*)$/s;

/** Validates a filter spec; a bad level or regular expression is a UsageError naming it. */
export function createLogFilter(spec: LogFilterSpec): LogFilter {
  const clean: LogFilterSpec = {};
  const filter: { -readonly [K in keyof LogFilter]: LogFilter[K] } = { spec: clean };
  const processText = spec.process?.trim();
  if (processText) {
    const names = new Set<string>();
    const pids = new Set<number>();
    for (const part of processText.split('|').map((p) => p.trim()).filter(Boolean)) {
      if (/^\d+$/.test(part)) pids.add(Number(part));
      else names.add(part);
    }
    clean.process = processText;
    if (names.size) filter.processes = names;
    if (pids.size) filter.pids = pids;
  }
  if (spec.level?.trim()) {
    const level = parseLevelName(spec.level);
    clean.level = level;
    filter.minLevelRank = levelRank(level);
  }
  if (spec.match) {
    const slashed = SLASHED.exec(spec.match);
    try {
      // g and y would make test() remember lastIndex from one line to the next; a line filter never wants that.
      filter.pattern = slashed ? new RegExp(slashed[1], slashed[2].replace(/[gy]/g, '')) : new RegExp(spec.match);
    } catch (err) {
      throw new UsageError(`"${spec.match}" is not a valid regular expression: ${(err as Error).message}.`);
    }
    clean.match = spec.match;
  }
  return filter;
}

/**
 * True when an entry passes the filter. `line` is the entry as shown (the pattern is tested against
 * it). Unparsed lines have no process or level, so a process or level filter hides them.
 */
export function matchesLogFilter(entry: DeviceLogEntry, filter: LogFilter, line: string): boolean {
  if (filter.processes || filter.pids) {
    if (entry.kind !== 'record') return false;
    const byName = filter.processes?.has(entry.process) ?? false;
    const byPid = filter.pids?.has(entry.pid) ?? false;
    if (!byName && !byPid) return false;
  }
  if (filter.minLevelRank !== undefined && (entry.kind !== 'record' || levelRank(entry.level) < filter.minLevelRank)) return false;
  if (filter.pattern && !filter.pattern.test(line)) return false;
  return true;
}

/** A short description of the active filter, e.g. `process=BackupAgent2 level≥Warning match=/fail/`. */
export function describeLogFilter(filter: LogFilter): string {
  const parts: string[] = [];
  if (filter.spec.process) parts.push(`process=${filter.spec.process}`);
  if (filter.spec.level) parts.push(`level≥${filter.spec.level}`);
  if (filter.spec.match) parts.push(`match=${SLASHED.test(filter.spec.match) ? filter.spec.match : `/${filter.spec.match}/`}`);
  return parts.join(' ');
}
