import type { Logger } from '../common/logger';
import type { ParsedArgs, FlagSpec } from './args';

/** What every CLI command receives: its parsed arguments and the process seams. */
export interface CliContext {
  args: ParsedArgs;
  json: boolean;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  /** Writes data to stdout (the command's result). */
  out(text: string): void;
  /** Writes a line to stderr (progress, notes). */
  note(text: string): void;
  logger: Logger;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** One CLI command: name, one-line usage, flags, and the handler (returns the exit code). */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  flags: FlagSpec;
  run(ctx: CliContext): Promise<number>;
}

/** A command whose name is the first word of its usage line, so the two cannot disagree; no flags unless given. */
export function command(spec: Omit<CliCommand, 'name' | 'flags'> & { flags?: FlagSpec }): CliCommand {
  return { name: spec.usage.split(' ')[0], flags: {}, ...spec };
}
