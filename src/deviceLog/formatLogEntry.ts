import type { DeviceLogEntry } from '../services/syslog/syslogRecord';

/** The marker appended to a line whose end was cut. */
export function cutMarker(cutBytes: number): string {
  return ` … [line cut: ${cutBytes} more bytes]`;
}

/** One log entry as one line of text, in the device's own record format (what idevicesyslog shows). */
export function formatLogEntry(entry: DeviceLogEntry): string {
  const tail = entry.cutBytes ? cutMarker(entry.cutBytes) : '';
  if (entry.kind === 'text') return entry.text + tail;
  const image = entry.image !== undefined ? `(${entry.image})` : '';
  return `${entry.time} ${entry.device} ${entry.process}${image}[${entry.pid}] <${entry.level}>: ${entry.message}${tail}`;
}
