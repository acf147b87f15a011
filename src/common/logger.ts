/** The logging seam of the core: the CLI adapts it to stderr, the extension to a LogOutputChannel. */
export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry this component (and udid) tag in front of the parent's. */
  child(scope: string): Logger;
}

export type LogFields = Record<string, string | number | boolean | undefined>;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';

/** A level a line is written at (never 'off'). */
export type WrittenLevel = Exclude<LogLevel, 'off'>;

const LEVEL_ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

/** The level a name stands for, or undefined for a name that is none (from the environment, say). */
export function logLevelNamed(name: string | undefined): LogLevel | undefined {
  return name !== undefined && Object.hasOwn(LEVEL_ORDER, name) ? (name as LogLevel) : undefined;
}

/** True when a line at `level` passes a `minimum` threshold. */
export function levelPasses(level: WrittenLevel, minimum: LogLevel): boolean {
  return LEVEL_ORDER[level] >= LEVEL_ORDER[minimum];
}

/** Keys whose values are never written to a log, whatever their level. */
const SECRET_KEY = /pass(word)?|secret|privatekey|escrowbag|keybag|\bkey\b|token/i;

/** Formats fields as key=value pairs, replacing secret-looking keys' values with «redacted». */
export function formatFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${SECRET_KEY.test(key) ? '«redacted»' : String(value)}`);
  }
  return parts.length ? ' ' + parts.join(' ') : '';
}

/**
 * The one Logger: writes formatted lines through one sink function, filtered by level. The CLI fixes the
 * level at start; the extension passes a function, because its threshold (the setting or the channel's
 * level) changes while it runs.
 */
export class LineLogger implements Logger {
  constructor(
    private readonly sink: (level: WrittenLevel, line: string) => void,
    private readonly minLevel: LogLevel | (() => LogLevel) = 'info',
    private readonly scope = '',
  ) {}

  trace(message: string, fields?: LogFields): void { this.write('trace', message, fields); }
  debug(message: string, fields?: LogFields): void { this.write('debug', message, fields); }
  info(message: string, fields?: LogFields): void { this.write('info', message, fields); }
  warn(message: string, fields?: LogFields): void { this.write('warn', message, fields); }
  error(message: string, fields?: LogFields): void { this.write('error', message, fields); }

  child(scope: string): Logger {
    return new LineLogger(this.sink, this.minLevel, `${this.scope}[${scope}] `);
  }

  private write(level: WrittenLevel, message: string, fields?: LogFields): void {
    if (!levelPasses(level, typeof this.minLevel === 'function' ? this.minLevel() : this.minLevel)) return;
    this.sink(level, `${this.scope}${message}${formatFields(fields)}`);
  }
}

/** A logger that drops everything (for callers that do not care). */
export const silentLogger: Logger = new LineLogger(() => undefined, 'off');
