import { UsageError } from '../common/errors';
import { DEFAULT_BENCH_JOBS, MAX_BENCH_JOBS } from '../kitting/kittingBench';
import { flagList, flagValue, hasFlag, type ParsedArgs } from './args';

/** Longest word taken as a UDID: today's are 25 characters, the older ones 40. */
const MAX_UDID_CHARS = 64;
const UDID_WORD = /^[0-9A-Za-z-]+$/;

/** Which devices a command works on: the one device of the single-device form, or the bench's list. */
export type DeviceSelection =
  | { kind: 'one'; udid: string }
  /** `all`: every device attached when the command starts (then `udids` is empty). */
  | { kind: 'batch'; udids: readonly string[]; all: boolean; jobs: number };

/** How a command names its devices: the words of the usage error, and the list flag restore uses (`--to`). */
export interface DeviceSelectionSpec {
  /** e.g. "the device UDID", for "Missing the device UDID (or --all)." */
  what: string;
  listFlag?: string;
}

/** --jobs as a whole number from 1 to MAX_BENCH_JOBS; the default when absent. */
export function benchJobsFromArgs(args: ParsedArgs): number {
  const text = flagValue(args, 'jobs');
  if (text === undefined) return DEFAULT_BENCH_JOBS;
  const jobs = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(jobs >= 1 && jobs <= MAX_BENCH_JOBS)) throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_BENCH_JOBS} (got "${text}").`);
  return jobs;
}

/**
 * The devices named on the command line. One UDID as the first word, without --all, --jobs or the list flag, is the
 * single-device form (its output is kept as it always was); anything else is a batch for the kitting bench.
 */
export function deviceSelectionFromArgs(args: ParsedArgs, spec: DeviceSelectionSpec): DeviceSelection {
  const listed = spec.listFlag === undefined ? [] : flagList(args, spec.listFlag);
  const all = hasFlag(args, 'all');
  const words = args.positionals;
  if (spec.listFlag !== undefined && listed.length > 0 && words.length > 0) {
    throw new UsageError(`Name the devices either as the first word or after --${spec.listFlag}, not both (got "${words[0]}").`);
  }
  const udids = [...words, ...listed];
  if (all && udids.length > 0) throw new UsageError(`Give either --all or device UDIDs, not both (got "${udids[0]}").`);
  if (!all && udids.length === 0) throw new UsageError(`Missing ${spec.what} (or --all for every attached device).`);
  const jobs = benchJobsFromArgs(args);
  if (!all && words.length === 1 && listed.length === 0 && flagValue(args, 'jobs') === undefined) return { kind: 'one', udid: words[0] };
  checkUdids(udids);
  return { kind: 'batch', udids, all, jobs };
}

/** Every word looks like a UDID and none is named twice (two jobs on one device would be refused anyway; say it up front). */
function checkUdids(udids: readonly string[]): void {
  const seen = new Set<string>();
  for (const udid of udids) {
    if (udid.length > MAX_UDID_CHARS || !UDID_WORD.test(udid)) {
      throw new UsageError(`${JSON.stringify(udid.slice(0, MAX_UDID_CHARS))} is not a device UDID (letters, digits and hyphens, as "iosbr devices" lists them).`);
    }
    const key = udid.toLowerCase();
    if (seen.has(key)) throw new UsageError(`The device ${udid} is listed twice.`);
    seen.add(key);
  }
}
