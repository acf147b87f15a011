import { SeededRandom } from '../dataset/seededRandom';
import type { SimulatedDeviceSpec } from '../scenario';

/** One crash report file waiting on the device. */
export interface CrashReportSample {
  /** Path below the crash report folder ("Retired/…" for old ones). */
  path: string;
  content: string;
  time: Date;
}

const HOUR = 3600_000;
const two = (n: number) => String(n).padStart(2, '0');

function uuid(random: SeededRandom): string {
  const hex = Array.from({ length: 32 }, () => random.int(16).toString(16).toUpperCase()).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** "2026-11-22 10:15:30.00 +0000", the .ips header's timestamp format. */
function ipsTimestamp(date: Date): string {
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.00 +0000`;
}

/** "2026-11-22-101530", the time part of crash report file names. */
function fileStamp(date: Date): string {
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}-${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}`;
}

/** An .ips file: one JSON header line, then the JSON body (iOS 15+ layout). */
function ips(header: Record<string, unknown>, body: Record<string, unknown>): string {
  return `${JSON.stringify(header)}\n${JSON.stringify(body, null, 2)}\n`;
}

/** A process crash report (bug_type 309). */
function processCrash(spec: SimulatedDeviceSpec, random: SeededRandom, time: Date, proc: { name: string; bundleId: string; path: string; pid: number; exception: Record<string, string>; termination?: Record<string, unknown> }): string {
  const osVersion = `iPhone OS ${spec.productVersion} (${spec.buildVersion})`;
  const incident = uuid(random);
  return ips(
    {
      app_name: proc.name,
      timestamp: ipsTimestamp(time),
      app_version: '1.0',
      slice_uuid: uuid(random).toLowerCase(),
      build_version: '1',
      platform: 2,
      bundleID: proc.bundleId,
      share_with_app_devs: 0,
      is_first_party: 1,
      bug_type: '309',
      os_version: osVersion,
      roots_installed: 0,
      incident_id: incident,
      name: proc.name,
    },
    {
      uptime: 90_000 + random.int(500_000),
      procRole: 'Foreground',
      version: 2,
      userID: 501,
      deployVersion: 210,
      modelCode: spec.productType,
      incident,
      osVersion: { isEmbedded: true, train: `iPhone OS ${spec.productVersion}`, releaseType: 'User', build: spec.buildVersion },
      captureTime: ipsTimestamp(time),
      procName: proc.name,
      procPath: proc.path,
      pid: proc.pid,
      cpuType: 'ARM-64',
      exception: proc.exception,
      ...(proc.termination ? { termination: proc.termination } : {}),
      faultingThread: 0,
      threads: [{ triggered: true, id: 1000 + random.int(9000), queue: 'com.apple.main-thread', frames: [{ imageOffset: 20_000 + random.int(90_000), symbol: 'objc_msgSend', imageIndex: 1 }] }],
    },
  );
}

/** A jetsam (memory pressure) report (bug_type 298), here with BackupAgent2 over its limit. */
function jetsamEvent(spec: SimulatedDeviceSpec, random: SeededRandom, time: Date): string {
  return ips(
    { bug_type: '298', timestamp: ipsTimestamp(time), os_version: `iPhone OS ${spec.productVersion} (${spec.buildVersion})`, roots_installed: 0, incident_id: uuid(random) },
    {
      crashReporterKey: uuid(random).toLowerCase().replace(/-/g, ''),
      product: spec.productType,
      build: `iPhone OS ${spec.productVersion} (${spec.buildVersion})`,
      date: ipsTimestamp(time),
      largestProcess: 'BackupAgent2',
      memoryStatus: { compressorSize: 41_000 + random.int(20_000), pageSize: 16384, memoryPages: { free: 1800 + random.int(900), active: 80_000 + random.int(20_000) } },
      processes: [
        { name: 'BackupAgent2', pid: 412, rpages: 12_288, reason: 'per-process-limit', states: ['daemon'] },
        { name: 'SpringBoard', pid: 64, rpages: 9_100 + random.int(800), states: ['frontmost'] },
        { name: 'mdmd', pid: 201, rpages: 900 + random.int(300), states: ['daemon', 'idle'] },
      ],
    },
  );
}

/**
 * The crash reports a simulated device holds: a jetsam event that killed BackupAgent2 during a
 * backup (the "backup hangs" case of docs/protocol/mobilebackup2.md#file-transfer-encoding), SpringBoard and mdmd crashes, and an older
 * profiled crash in Retired/. Content is seeded by the UDID; times are relative to `now`.
 */
export function crashReportSamples(spec: SimulatedDeviceSpec, now: number): CrashReportSample[] {
  const random = new SeededRandom(`crash-reports:${spec.udid}`);
  const at = (hoursAgo: number) => new Date(Math.floor((now - hoursAgo * HOUR) / 1000) * 1000);
  const jetsam = at(1);
  const springboard = at(26);
  const mdmd = at(75);
  const profiled = at(480);
  return [
    { path: `JetsamEvent-${fileStamp(jetsam)}.ips`, time: jetsam, content: jetsamEvent(spec, random, jetsam) },
    {
      path: `SpringBoard-${fileStamp(springboard)}.ips`,
      time: springboard,
      content: processCrash(spec, random, springboard, {
        name: 'SpringBoard', bundleId: 'com.apple.springboard', path: '/System/Library/CoreServices/SpringBoard.app/SpringBoard', pid: 64,
        exception: { type: 'EXC_BAD_ACCESS', signal: 'SIGSEGV', subtype: 'KERN_INVALID_ADDRESS at 0x0000000000000010' },
      }),
    },
    {
      path: `mdmd-${fileStamp(mdmd)}.ips`,
      time: mdmd,
      content: processCrash(spec, random, mdmd, {
        name: 'mdmd', bundleId: 'com.apple.mdmd', path: '/usr/libexec/mdmd', pid: 201,
        exception: { type: 'EXC_CRASH', signal: 'SIGABRT' },
        termination: { namespace: 'SIGNAL', indicator: 'Abort trap: 6', code: 6 },
      }),
    },
    {
      path: `Retired/profiled-${fileStamp(profiled)}.ips`,
      time: profiled,
      content: processCrash(spec, random, profiled, {
        name: 'profiled', bundleId: 'com.apple.managedconfiguration.profiled', path: '/System/Library/PrivateFrameworks/ManagedConfiguration.framework/Support/profiled', pid: 180,
        exception: { type: 'EXC_BREAKPOINT', signal: 'SIGTRAP' },
      }),
    },
  ];
}
