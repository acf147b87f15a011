import { SeededRandom } from './dataset/seededRandom';
import type { DeviceLog, DeviceLogLevel } from './deviceLog';

/** One idle line: which daemon says what. */
interface ChatterLine {
  process: string;
  level: DeviceLogLevel;
  image?: string;
  message: (random: SeededRandom) => string;
}

/** Shortest and longest pause between idle lines: a few lines per second, irregular like a real device. */
const MIN_PAUSE_MS = 120;
const MAX_PAUSE_MS = 600;

const hex = (random: SeededRandom, digits: number): string =>
  Array.from({ length: digits }, () => random.int(16).toString(16).toUpperCase()).join('');

/**
 * What an idle, managed iPhone logs: SpringBoard UI state, backupd's periodic checks, mdmd and
 * profiled housekeeping, lockdownd keeping the host connection. Some lines carry non-ASCII text
 * (an accented profile name, a Japanese notification) so clients see vis-encoded bytes.
 */
const IDLE_LINES: readonly ChatterLine[] = [
  { process: 'SpringBoard', image: 'FrontBoard', level: 'Notice', message: (r) => `[app<com.apple.${r.pick(['Preferences', 'mobilesafari', 'MobileSMS', 'mobilemail'])}>] Workspace assertion state did change: ${r.pick(['ForegroundFocal', 'Background', 'ForegroundUnfocused'])}` },
  { process: 'SpringBoard', level: 'Notice', message: (r) => `SBBacklightController: backlight factor ${(r.next() * 0.6 + 0.4).toFixed(2)}` },
  { process: 'SpringBoard', level: 'Notice', message: () => 'Notification posted: 設定のアップデートがあります' },
  { process: 'SpringBoard', image: 'BatteryCenter', level: 'Warning', message: (r) => `Battery level ${20 + r.int(75)}%, Low Power Mode suggestion suppressed` },
  { process: 'backupd', level: 'Notice', message: () => 'Periodic backup check: iCloud Backup is off, nothing scheduled' },
  { process: 'backupd', level: 'Debug', message: (r) => `Conditions: battery ${30 + r.int(70)}%, on power: ${r.pick(['yes', 'no'])}, network: Wi-Fi` },
  { process: 'mdmd', level: 'Notice', message: () => 'MDM: checked for pending commands, none waiting' },
  { process: 'mdmd', image: 'ManagedConfiguration', level: 'Notice', message: (r) => `Received push for topic com.apple.mgmt.External.${hex(r, 8)}-${hex(r, 4)}` },
  { process: 'profiled', level: 'Notice', message: () => 'Profile "WLAN Büro – Zentrale" is installed and valid' },
  { process: 'profiled', level: 'Info', message: (r) => `Checked ${1 + r.int(4)} installed profiles for expiry` },
  { process: 'lockdownd', level: 'Notice', message: () => 'Host connection is alive (heartbeat)' },
];

/**
 * Writes a few realistic lines per second to a device log while started. The sequence is seeded,
 * so two runs of a scenario chatter alike. Timers never keep the process alive.
 */
export class IdleChatter {
  private readonly random: SeededRandom;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: DeviceLog,
    seed: string,
    private readonly enabled: boolean,
  ) {
    this.random = new SeededRandom(`idle-chatter:${seed}`);
  }

  /** Starts chattering (no effect when disabled or already running). */
  start(): void {
    if (!this.enabled || this.timer) return;
    this.schedule();
  }

  /** Stops chattering. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const pause = MIN_PAUSE_MS + this.random.int(MAX_PAUSE_MS - MIN_PAUSE_MS);
    this.timer = setTimeout(() => {
      const line = this.random.pick(IDLE_LINES);
      this.log.write(line.process, undefined, line.level, line.message(this.random), line.image);
      this.schedule();
    }, pause);
    this.timer.unref();
  }
}
