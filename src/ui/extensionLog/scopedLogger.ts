import { formatFields, type LogFields, type Logger, type LogLevel } from '../../common/logger';

/** A level the sink receives (never 'off'). */
export type WrittenLevel = Exclude<LogLevel, 'off'>;

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

/** True when a line at `level` passes a `minimum` threshold. */
export function levelPasses(level: WrittenLevel, minimum: LogLevel): boolean {
  return ORDER[level] >= ORDER[minimum];
}

/**
 * The core's Logger over a sink whose threshold can change while the extension runs (the setting or
 * the channel's level), unlike LineLogger whose level is fixed at construction. Fields go through the
 * core's formatFields, so secret-looking keys are redacted here exactly as in the CLI.
 */
export class ScopedLogger implements Logger {
  constructor(
    private readonly sink: (level: WrittenLevel, line: string) => void,
    private readonly threshold: () => LogLevel,
    private readonly scope = '',
  ) {}

  trace(message: string, fields?: LogFields): void { this.write('trace', message, fields); }
  debug(message: string, fields?: LogFields): void { this.write('debug', message, fields); }
  info(message: string, fields?: LogFields): void { this.write('info', message, fields); }
  warn(message: string, fields?: LogFields): void { this.write('warn', message, fields); }
  error(message: string, fields?: LogFields): void { this.write('error', message, fields); }

  child(scope: string): Logger {
    return new ScopedLogger(this.sink, this.threshold, `${this.scope}[${scope}] `);
  }

  private write(level: WrittenLevel, message: string, fields?: LogFields): void {
    if (!levelPasses(level, this.threshold())) return;
    this.sink(level, `${this.scope}${message}${formatFields(fields)}`);
  }
}
