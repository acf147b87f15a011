import { FORGOTTEN_PASSWORD_GUIDANCE } from '../backup/encryptionSetting/forgottenPassword';
import { UsageError } from '../common/errors';
import { hasFlag } from './args';
import { langFromEnvironment } from './cliLanguage';
import type { CliContext } from './context';

/** Lines of stdin read once and shared, so a command can take a password and a new password in order. */
export class StdinPasswords {
  private lines: Promise<string[]> | undefined;
  constructor(private readonly stdin: NodeJS.ReadableStream) {}

  /** The n-th line of stdin (0-based). */
  async line(n: number): Promise<string | undefined> {
    this.lines ??= (async () => {
      let text = '';
      for await (const chunk of this.stdin) {
        text += chunk.toString();
        if (text.length > 16384) break;
      }
      return text.split(/\r?\n/);
    })();
    return (await this.lines)[n];
  }
}

/**
 * The password for an operation: from stdin when --password-stdin, else from the environment
 * variable; a usage error when neither is present.
 */
export async function takePassword(
  opts: { fromStdin: boolean; stdin: StdinPasswords; env: NodeJS.ProcessEnv; envName: 'IOSBR_PASSWORD' | 'IOSBR_NEW_PASSWORD'; line: number },
): Promise<string> {
  if (opts.fromStdin) {
    const value = await opts.stdin.line(opts.line);
    if (value) return value;
  }
  const fromEnv = opts.env[opts.envName];
  if (fromEnv) return fromEnv;
  throw new UsageError(`A password is needed: pass --password-stdin or set ${opts.envName}.`);
}

/** The backup password: the first line of stdin with --password-stdin, else IOSBR_PASSWORD; a usage error without one. */
export function backupPassword(ctx: CliContext): Promise<string> {
  return takePassword({ fromStdin: hasFlag(ctx.args, 'password-stdin'), stdin: new StdinPasswords(ctx.stdin), env: ctx.env, envName: 'IOSBR_PASSWORD', line: 0 });
}

/** What to do about a forgotten backup password, in the locale's language. */
export function forgottenPasswordGuidance(env: NodeJS.ProcessEnv): string {
  return FORGOTTEN_PASSWORD_GUIDANCE[langFromEnvironment(env)].join('\n');
}

/** The backup password; without one, `notes` and the forgotten-password guidance go to stderr before the usage error. */
export async function requiredBackupPassword(ctx: CliContext, ...notes: string[]): Promise<string> {
  try {
    return await backupPassword(ctx);
  } catch (err) {
    for (const note of [...notes, forgottenPasswordGuidance(ctx.env)]) ctx.note(note);
    throw err;
  }
}

/**
 * The backup password when one was given: the first line of stdin with --password-stdin, else
 * IOSBR_PASSWORD. Never from argv; never echoed.
 */
export async function optionalPassword(ctx: CliContext): Promise<string | undefined> {
  if (hasFlag(ctx.args, 'password-stdin')) {
    const line = await new StdinPasswords(ctx.stdin).line(0);
    if (!line) throw new UsageError('--password-stdin was given but the first line of stdin is empty.');
    return line;
  }
  const fromEnv = ctx.env.IOSBR_PASSWORD;
  return fromEnv ? fromEnv : undefined;
}
