import type { SyslogRecord } from './syslogRecord';
import { encodeVis } from './visEncode';

/** What one device-side log write carries: the fields a host parses back out of the record. */
export type SyslogWireFields = Omit<SyslogRecord, 'kind' | 'cutBytes'>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** A syslog time stamp, "Nov  3 09:41:07" (day padded with a space, local time, no year). */
export function formatSyslogTime(date: Date): string {
  return `${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Encodes one record as syslog_relay sends it: vis-encoded ASCII text, then "\n" and a NUL byte. */
export function encodeSyslogWireRecord(fields: SyslogWireFields): Buffer {
  const image = fields.image !== undefined ? `(${encodeVis(fields.image)})` : '';
  const text = `${fields.time} ${encodeVis(fields.device)} ${encodeVis(fields.process)}${image}[${fields.pid}] <${fields.level}>: ${encodeVis(fields.message)}\n\0`;
  return Buffer.from(text, 'latin1');
}
