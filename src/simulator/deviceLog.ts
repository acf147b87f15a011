import { BoundedList } from '../common/boundedList';
import { decodeVis } from '../services/syslog/visDecode';
import { encodeSyslogWireRecord, formatSyslogTime } from '../services/syslog/syslogWireRecord';
import { IdleChatter } from './deviceLogChatter';
import { failureReasonLines, type FailureDetails } from './deviceLogFailureReasons';

/** The levels simulated daemons log at (the words syslog_relay puts in angle brackets). */
export type DeviceLogLevel = 'Debug' | 'Info' | 'Notice' | 'Warning' | 'Error' | 'Fault';

/** Receives each record as syslog_relay sends it (vis-encoded text, "\n", NUL). */
export type DeviceLogListener = (record: Buffer) => void;

/** Records kept for inspection (tests, the simulator's own log); the stream itself keeps nothing. */
const RECENT_RECORDS = 500;

/** Stable pids for the daemons the simulator speaks for, so a log reads like one boot of one device. */
const DAEMON_PIDS: Record<string, number> = {
  kernel: 0,
  launchd: 1,
  lockdownd: 55,
  SpringBoard: 64,
  backupd: 87,
  findmydeviced: 143,
  profiled: 180,
  mdmd: 201,
  BackupAgent2: 412,
};

/** A syslog host name from a device name: no spaces or apostrophes, as iOS derives it ("Support-iPhone"). */
export function syslogHostName(deviceName: string): string {
  const name = deviceName.replace(/['’]/g, '').trim().replace(/\s+/g, '-');
  return name || 'iPhone';
}

/**
 * The simulated device's log bus. Any simulator code writes lines to it
 * (`device.log.write('BackupAgent2', undefined, 'Error', '…')`); every connected syslog_relay client
 * receives them in the real record format. While at least one client listens, an idle-chatter
 * generator adds a few realistic lines per second, as a real device's log never stays silent.
 */
export class DeviceLog {
  private readonly listeners = new Set<DeviceLogListener>();
  private readonly recent = new BoundedList<Buffer>(RECENT_RECORDS);
  private chatter: IdleChatter | undefined;
  private timeSecond = -1;
  private timeText = '';

  /** `identity` is read at each write, so a renamed device logs under its new name. */
  constructor(
    private readonly identity: () => { name: string; udid: string },
    private readonly options: { idleChatter?: boolean } = {},
  ) {}

  /** Writes one line; `pid` undefined uses the daemon's stable simulated pid. */
  write(process: string, pid: number | undefined, level: DeviceLogLevel, message: string, image?: string): void {
    const record = encodeSyslogWireRecord({
      time: this.now(),
      device: syslogHostName(this.identity().name),
      process,
      image,
      pid: pid ?? this.pidOf(process),
      level,
      message,
    });
    this.recent.push(record);
    for (const listener of this.listeners) listener(record);
  }

  /**
   * Writes what the device's daemons say before they end a request with this MBErrorDomain code
   * (BackupAgent2 failing to upload a file before 104, the Find My refusal before 211, …).
   * `details` names the file and the ErrorDescription, when the caller knows them.
   */
  writeFailureReason(code: number, details?: FailureDetails): void {
    for (const line of failureReasonLines(code, details)) this.write(line.process, undefined, line.level, line.message, line.image);
  }

  /** The stable simulated pid of a daemon (unknown names get one derived from the name). */
  pidOf(process: string): number {
    const known = DAEMON_PIDS[process];
    if (known !== undefined) return known;
    let hash = 0;
    for (let i = 0; i < process.length; i++) hash = (hash * 31 + process.charCodeAt(i)) >>> 0;
    return 300 + (hash % 700);
  }

  /** Adds a syslog_relay client; returns the function that removes it. */
  subscribe(listener: DeviceLogListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      // Seeded by the UDID, so each device chatters its own way and alike in every run.
      this.chatter ??= new IdleChatter(this, this.identity().udid, this.options.idleChatter ?? true);
      this.chatter.start();
    }
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.chatter?.stop();
    };
  }

  /** How many syslog_relay clients are connected. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The newest lines written (decoded, oldest first), whether or not anyone was listening. */
  recentLines(): string[] {
    return this.recent.toArray().map((record) => decodeVis(record.subarray(0, record.length - 2)));
  }

  private now(): string {
    // Formatting a date per line would dominate a fast stream; the text changes once a second.
    const ms = Date.now();
    const second = Math.floor(ms / 1000);
    if (second !== this.timeSecond) {
      this.timeSecond = second;
      this.timeText = formatSyslogTime(new Date(ms));
    }
    return this.timeText;
  }
}
