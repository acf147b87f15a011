import type { CliCommand } from './context';
import { devicesCommand } from './commands/devices';
import { infoCommand } from './commands/info';
import { matrixCommand } from './commands/matrix';
import { pairCommand, unpairCommand } from './commands/pair';
import { preflightCommand } from './commands/preflight';
import { simulateCommand } from './commands/simulate';
import { verifyPasswordCommand } from './commands/verifyPassword';

/**
 * The one table of CLI commands. Each command lives in its own file under ./commands;
 * add a line here to expose it.
 */
export const COMMANDS: readonly CliCommand[] = [
  devicesCommand,
  infoCommand,
  pairCommand,
  unpairCommand,
  matrixCommand,
  preflightCommand,
  verifyPasswordCommand,
  simulateCommand,
];
