import { parseArgs } from './cli/args';
import { COMMANDS } from './cli/commandTable';
import type { CliCommand, CliContext } from './cli/context';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, reportFailure } from './cli/presentError';
import { LineLogger, logLevelNamed, type LogLevel } from './common/logger';
import { langFromEnvironment } from './cli/cliLanguage';

function usageText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length), 10);
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    'usage: iosbr <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command accepts --json (machine-readable output) and --debug (stack traces, debug log).',
    'usbmuxd is reached at USBMUXD_SOCKET_ADDRESS (UNIX:/path or host:port) or the platform default.',
  ].join('\n');
}

/** Runs the CLI with the given words; returns the exit code. */
export async function runCli(words: string[]): Promise<number> {
  const [name, ...rest] = words;
  if (!name || name === '--help' || name === 'help' || name === '-h') {
    process.stdout.write(usageText() + '\n');
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command: CliCommand | undefined = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}". Run "iosbr --help" for the list.\n`);
    return EXIT_USAGE;
  }
  const debug = rest.includes('--debug');
  const level: LogLevel = debug ? 'debug' : rest.includes('--verbose') ? 'info' : logLevelNamed(process.env.IOSBR_LOG_LEVEL) ?? 'warn';
  const logger = new LineLogger((lvl, line) => process.stderr.write(`${lvl}: ${line}\n`), level);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const args = parseArgs(rest, command.flags);
    if (args.flags.get('help') === true) {
      process.stdout.write(`usage: iosbr ${command.usage}\n${command.summary}\n`);
      return EXIT_OK;
    }
    const ctx: CliContext = {
      args,
      json: args.flags.get('json') === true,
      env: process.env,
      stdin: process.stdin,
      out: (text) => process.stdout.write(text),
      note: (text) => process.stderr.write(text + '\n'),
      logger,
      signal: abort.signal,
    };
    return await command.run(ctx);
  } catch (err) {
    return reportFailure(err, { note: (text) => process.stderr.write(text + '\n'), lang: langFromEnvironment(process.env), debug });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** How long a command may take to wind down (remove partial files, tell the device) after SIGINT/SIGTERM. */
const SIGNAL_GRACE_MS = 3_000;

/**
 * Makes the process end on SIGINT/SIGTERM whatever the command is doing: runCli aborts the command's signal
 * so it can clean up and say why it stopped; a command still running after the grace period, or a second
 * signal, ends the process with one sentence.
 */
function exitOnSignals(): void {
  let grace: NodeJS.Timeout | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    process.stderr.write(`Stopped by ${signal} before the command finished.\n`);
    process.exit(EXIT_FAILED);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (grace !== undefined) return stop(signal);
    grace = setTimeout(() => stop(signal), SIGNAL_GRACE_MS);
    // The timer alone must not keep a process alive that has nothing else left to do.
    grace.unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

if (require.main === module) {
  // `iosbr ls … | head` closes the pipe early: that is the reader being done, not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  exitOnSignals();
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`Unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
