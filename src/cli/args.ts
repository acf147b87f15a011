import { UsageError } from '../common/errors';

/** Parsed command line: positionals and --flags (a flag's value is the next word unless declared boolean). */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
  /** The words of each list flag, in the order given (a list flag may also be repeated). */
  lists: Map<string, string[]>;
}

/** The flags a command accepts: booleans take no value; values take the next word; lists take every word up to the next flag. */
export interface FlagSpec {
  booleans?: readonly string[];
  values?: readonly string[];
  lists?: readonly string[];
}

const GLOBAL_BOOLEANS = ['json', 'debug', 'help', 'password-stdin', 'verbose'];

/** Parses argv words against a command's flag spec; unknown flags are a usage error. */
export function parseArgs(words: readonly string[], spec: FlagSpec): ParsedArgs {
  const booleans = new Set([...GLOBAL_BOOLEANS, ...(spec.booleans ?? [])]);
  const values = new Set(spec.values ?? []);
  const listNames = new Set(spec.lists ?? []);
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (!word.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
    if (name === 'password' || name === 'new-password') {
      throw new UsageError('Passwords are never taken from the command line: use --password-stdin or the IOSBR_PASSWORD environment variable.');
    }
    if (booleans.has(name)) {
      if (eq >= 0) throw new UsageError(`The flag --${name} takes no value.`);
      flags.set(name, true);
    } else if (values.has(name)) {
      const value = eq >= 0 ? word.slice(eq + 1) : words[++i];
      if (value === undefined) throw new UsageError(`The flag --${name} needs a value.`);
      flags.set(name, value);
    } else if (listNames.has(name)) {
      // `--to A B C`: every word up to the next flag; `--to=A` is one word.
      const taken = eq >= 0 ? [word.slice(eq + 1)] : [];
      while (eq < 0 && i + 1 < words.length && !words[i + 1].startsWith('--')) taken.push(words[++i]);
      if (taken.length === 0 || taken.includes('')) throw new UsageError(`The flag --${name} needs a value.`);
      lists.set(name, [...(lists.get(name) ?? []), ...taken]);
    } else {
      throw new UsageError(`Unknown flag --${name}.`);
    }
  }
  return { positionals, flags, lists };
}

/** The string value of a flag, or undefined. */
export function flagValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** The words of a list flag (empty when it was not given). */
export function flagList(args: ParsedArgs, name: string): string[] {
  return args.lists.get(name) ?? [];
}

/** True when a boolean flag was given. */
export function hasFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** The value of a flag that must be one of a closed set. */
export function flagChoice<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const v = flagValue(args, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got "${v}").`);
  }
  return v as T;
}

/** The positional at index i, or a usage error naming what is missing. */
export function requirePositional(args: ParsedArgs, index: number, what: string): string {
  const v = args.positionals[index];
  if (v === undefined) throw new UsageError(`Missing ${what}.`);
  return v;
}
