import type { CliCommand } from './context';

/**
 * The one table of CLI commands. Each command lives in its own file under ./commands;
 * add a line here to expose it.
 */
export const COMMANDS: readonly CliCommand[] = [
];
