import { UsageError } from '../common/errors';

/** Reads the first line of stdin (for --password-stdin), without echoing it anywhere. */
export async function readFirstLine(stdin: NodeJS.ReadableStream): Promise<string> {
  let buffered = '';
  for await (const chunk of stdin) {
    buffered += chunk.toString();
    const nl = buffered.indexOf('\n');
    if (nl >= 0) return buffered.slice(0, nl).replace(/\r$/, '');
    if (buffered.length > 4096) break;
  }
  return buffered.replace(/\r?\n$/, '');
}

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
