import { getArray, isPlistDict, type PlistValue } from '../../plist';
import { displayString, displayStrings, validDate } from './displayString';

/** The most events looked at; the log keeps one entry per install or removal, so a device has tens. */
export const MAX_PROFILE_EVENTS = 10_000;

/** One entry of MCProfileEvents.plist: a process installed or removed a profile at a time. */
export interface ProfileEvent {
  profileIdentifier: string;
  operation?: string;
  process?: string;
  timestamp?: Date;
}

/** The events of the log, or a sentence saying why the log cannot be used. */
export type ProfileEventsRead = { ok: true; events: ProfileEvent[]; truncated: boolean } | { ok: false; problem: string };

/**
 * Interprets MCProfileEvents.plist: a dictionary whose ProfileEvents is an array; each item is a
 * dictionary with one key, the profile's identifier, whose value holds timestamp (date), process and
 * operation (strings). Items of another shape are skipped: the log only adds detail to a sentence.
 */
export function interpretProfileEvents(value: PlistValue): ProfileEventsRead {
  if (!isPlistDict(value)) return { ok: false, problem: 'Its content is a property list but not a dictionary, so it holds no profile events.' };
  const list = getArray(value, 'ProfileEvents');
  if (list === undefined) return { ok: false, problem: 'It has no ProfileEvents list, so it says nothing about when profiles were installed.' };
  const events: ProfileEvent[] = [];
  for (const item of list.slice(0, MAX_PROFILE_EVENTS)) {
    if (!isPlistDict(item)) continue;
    const keys = Object.keys(item);
    if (keys.length !== 1) continue;
    const identifier = displayString(keys[0]);
    const body = item[keys[0]];
    if (identifier === undefined || !isPlistDict(body)) continue;
    const event: ProfileEvent = { profileIdentifier: identifier, ...displayStrings(body, { operation: 'operation', process: 'process' }) };
    const timestamp = validDate(body, 'timestamp');
    if (timestamp !== undefined) event.timestamp = timestamp;
    events.push(event);
  }
  return { ok: true, events, truncated: list.length > MAX_PROFILE_EVENTS };
}

/**
 * One sentence about a profile's history in the log: its install (the latest event whose operation is
 * "install") and its latest event when that is a different one. Undefined when the log has no entry for it.
 */
export function describeProfileHistory(events: readonly ProfileEvent[], profileIdentifier: string, profileLabel: string): string | undefined {
  const own = events.filter((e) => e.profileIdentifier === profileIdentifier);
  if (own.length === 0) return undefined;
  const byTime = [...own].sort((a, b) => (a.timestamp?.getTime() ?? 0) - (b.timestamp?.getTime() ?? 0));
  const latest = byTime[byTime.length - 1];
  const install = [...byTime].reverse().find((e) => e.operation?.toLowerCase() === 'install');
  const parts = [`The profile event log has ${own.length} ${own.length === 1 ? 'entry' : 'entries'} for the MDM profile ${profileLabel}`];
  if (install !== undefined) parts.push(`it was installed${eventDetail(install)}`);
  if (latest !== install) parts.push(`the latest entry is "${latest.operation ?? 'unnamed operation'}"${eventDetail(latest)}`);
  return `${parts.join('; ')}.`;
}

function eventDetail(event: ProfileEvent): string {
  const at = event.timestamp === undefined ? '' : ` on ${event.timestamp.toISOString()}`;
  const by = event.process === undefined ? '' : ` by ${event.process}`;
  return `${at}${by}`;
}
