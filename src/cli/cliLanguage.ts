import type { Lang } from '../common/localizedText';

/** Japanese when the locale says so (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them), English otherwise. */
export function langFromEnvironment(env: NodeJS.ProcessEnv): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
