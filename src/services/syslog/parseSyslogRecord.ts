import type { DeviceLogEntry, SyslogRecord } from './syslogRecord';
import type { RawSyslogRecord } from './syslogRecordFramer';
import { decodeVis } from './visDecode';

/** Longest level word accepted between the angle brackets. */
const MAX_LEVEL_LENGTH = 16;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * Parses one decoded line `Mmm dd hh:mm:ss <device> <process>[(<image>)][<pid>] <Level>: <message>`.
 * Returns undefined when the header does not have that shape. Index-based like idevicesyslog (which
 * checks the spaces at 3, 6 and 15), because this runs for every line of a fast stream.
 */
export function parseSyslogLine(line: string): Omit<SyslogRecord, 'cutBytes'> | undefined {
  if (line.length < 17 || line[3] !== ' ' || line[6] !== ' ' || line[9] !== ':' || line[12] !== ':' || line[15] !== ' ') return undefined;
  const deviceEnd = line.indexOf(' ', 16);
  if (deviceEnd <= 16) return undefined;
  const bracket = line.indexOf('[', deviceEnd + 1);
  if (bracket <= deviceEnd + 1) return undefined;
  const close = line.indexOf(']', bracket + 1);
  if (close < 0 || close === bracket + 1 || close - bracket > 11) return undefined;
  for (let i = bracket + 1; i < close; i++) if (!isDigit(line.charCodeAt(i))) return undefined;
  if (line[close + 1] !== ' ' || line[close + 2] !== '<') return undefined;
  const gt = line.indexOf('>', close + 3);
  if (gt < 0 || gt === close + 3 || gt - close - 3 > MAX_LEVEL_LENGTH || line[gt + 1] !== ':') return undefined;
  let process = line.slice(deviceEnd + 1, bracket);
  let image: string | undefined;
  const paren = process.indexOf('(');
  if (paren > 0 && process.endsWith(')')) {
    image = process.slice(paren + 1, -1);
    process = process.slice(0, paren);
  }
  const record: Omit<SyslogRecord, 'cutBytes'> = {
    kind: 'record',
    time: line.slice(0, 15),
    device: line.slice(16, deviceEnd),
    process,
    pid: Number(line.slice(bracket + 1, close)),
    level: line.slice(close + 3, gt),
    message: line.slice(line[gt + 2] === ' ' ? gt + 3 : gt + 2),
  };
  if (image !== undefined) record.image = image;
  return record;
}

/** Decodes a raw record's vis escapes and parses it; a line that does not parse is kept as text. */
export function parseSyslogRecord(raw: RawSyslogRecord): DeviceLogEntry {
  const line = decodeVis(raw.bytes);
  const record: DeviceLogEntry = parseSyslogLine(line) ?? { kind: 'text', text: line };
  if (raw.cutBytes > 0) record.cutBytes = raw.cutBytes;
  return record;
}
