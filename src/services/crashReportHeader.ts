/** The facts the first line of an .ips crash report gives (iOS 15+: a one-line JSON header). */
export interface CrashReportHeader {
  bugType?: string;
  /** The process that crashed (absent for reports about the whole system, such as jetsam events). */
  process?: string;
  bundleId?: string;
  timestamp?: string;
  osVersion?: string;
  incidentId?: string;
}

/** Longest header line looked at; real ones are a few hundred bytes. */
export const MAX_HEADER_BYTES = 8 * 1024;

const BUG_TYPES: Record<string, string> = {
  '109': 'crash',
  '309': 'crash',
  '298': 'jetsam (memory pressure)',
  '288': 'stackshot',
};

/** Reads the JSON header line at the start of an .ips file; undefined when there is none. */
export function parseCrashReportHeader(start: Buffer): CrashReportHeader | undefined {
  const head = start.subarray(0, MAX_HEADER_BYTES);
  const newline = head.indexOf(0x0a);
  const line = head.toString('utf8', 0, newline >= 0 ? newline : head.length).trim();
  if (!line.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const fields = json as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof fields[key] === 'string' && fields[key] !== '' ? fields[key] : undefined);
  const header: CrashReportHeader = {};
  const assign = (key: keyof CrashReportHeader, value: string | undefined) => {
    if (value !== undefined) header[key] = value;
  };
  assign('bugType', text('bug_type'));
  assign('process', text('app_name') ?? text('name') ?? text('procName'));
  assign('bundleId', text('bundleID'));
  assign('timestamp', text('timestamp'));
  assign('osVersion', text('os_version'));
  assign('incidentId', text('incident_id'));
  return header;
}

/** Words for a bug_type ("309" → "crash"). */
export function describeBugType(bugType: string | undefined): string {
  if (!bugType) return 'report';
  return BUG_TYPES[bugType] ?? `bug type ${bugType}`;
}
