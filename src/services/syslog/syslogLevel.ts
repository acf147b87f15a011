import { UsageError } from '../../common/errors';

/** Syslog levels from least to most severe; iOS sends Debug, Info, Notice, Warning, Error (and Fault from os_log). */
export const SYSLOG_LEVELS = ['Debug', 'Info', 'Notice', 'Warning', 'Error', 'Fault', 'Critical', 'Alert', 'Emergency'] as const;

/** A level name the product knows. */
export type SyslogLevelName = (typeof SYSLOG_LEVELS)[number];

const RANK = new Map<string, number>(SYSLOG_LEVELS.map((name, i) => [name.toLowerCase(), i]));
const ALIASES: Record<string, SyslogLevelName> = { warn: 'Warning', err: 'Error', crit: 'Critical', emerg: 'Emergency', info: 'Info' };
const NOTICE_RANK = RANK.get('notice')!;

/** The severity rank of a level word; an unknown word ranks as Notice, the level iOS uses by default. */
export function levelRank(level: string): number {
  return RANK.get(level.toLowerCase()) ?? NOTICE_RANK;
}

/** Reads a level the user typed (any case, common abbreviations) or throws a UsageError listing the choices. */
export function parseLevelName(text: string): SyslogLevelName {
  const key = text.trim().toLowerCase();
  const alias = ALIASES[key];
  if (alias) return alias;
  const rank = RANK.get(key);
  if (rank === undefined) throw new UsageError(`Unknown log level "${text}": use one of ${SYSLOG_LEVELS.join(', ')}.`);
  return SYSLOG_LEVELS[rank];
}
