import { LANGS, type Lang } from '../common/localizedText';
import { flagChoice } from './args';
import type { CliContext } from './context';

/** Japanese when the locale says so (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them), English otherwise. */
export function langFromEnvironment(env: NodeJS.ProcessEnv): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** The output language: --lang, else the locale. */
export function langFromArgs(ctx: CliContext): Lang {
  return flagChoice(ctx.args, 'lang', LANGS) ?? langFromEnvironment(ctx.env);
}
