/**
 * One record of the device log as syslog_relay sends it, parsed:
 * `Mmm dd hh:mm:ss <device> <process>[(<image>)][<pid>] <Level>: <message>` (docs/protocol/syslog-relay.md#record-text).
 */
export interface SyslogRecord {
  kind: 'record';
  /** The record's own time stamp, as sent ("Nov  3 09:41:07"; devices send no year). */
  time: string;
  /** The device's host name. */
  device: string;
  process: string;
  /** The library or framework that logged, when the process name carries one in parentheses. */
  image?: string;
  pid: number;
  /** The level word without brackets ("Notice", "Error", …). */
  level: string;
  message: string;
  /** Bytes dropped from the end of an over-long record (absent when the record was complete). */
  cutBytes?: number;
}

/** A record whose header does not have the syslog shape; kept as text so nothing the device says is lost. */
export interface UnparsedLogLine {
  kind: 'text';
  text: string;
  cutBytes?: number;
}

/** What a device log stream yields. */
export type DeviceLogEntry = SyslogRecord | UnparsedLogLine;
