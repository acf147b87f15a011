import type { CliCommand } from './context';
import { backupCommand } from './commands/backup';
import { backupsCommand } from './commands/backups';
import { crashesCommand } from './commands/crashes';
import { devicesCommand } from './commands/devices';
import { encryptionCommand } from './commands/encryption';
import { explainCommand } from './commands/explain';
import { extractCommand } from './commands/extract';
import { infoCommand } from './commands/info';
import { inspectCommand } from './commands/inspect';
import { lsCommand } from './commands/ls';
import { matrixCommand } from './commands/matrix';
import { pairCommand, unpairCommand } from './commands/pair';
import { preflightCommand } from './commands/preflight';
import { restoreCommand } from './commands/restore';
import { simulateCommand } from './commands/simulate';
import { syslogCommand } from './commands/syslog';
import { verifyCommand } from './commands/verify';
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
  restoreCommand,
  verifyPasswordCommand,
  verifyCommand,
  inspectCommand,
  simulateCommand,
  backupCommand,
  backupsCommand,
  encryptionCommand,
  lsCommand,
  extractCommand,
  syslogCommand,
  crashesCommand,
  explainCommand,
];
