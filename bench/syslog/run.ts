/**
 * Benchmark (not a test): device log lines per second from a simulated device through the whole
 * host path (usbmux tunnel, TLS, syslog_relay framing, vis decoding, parsing) into the editor-side
 * sink (DeviceLogView, refreshed by a ThrottledFlush as the VS Code document is). The simulator
 * runs in the same process, so its encoding and TLS cost count against us too. Goal ≥ 50,000 lines/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeviceSession } from '../../src/lockdown/deviceSession';
import { DeviceLogView } from '../../src/deviceLog/deviceLogView';
import { createLogFilter } from '../../src/deviceLog/logFilter';
import { parseSyslogRecord } from '../../src/services/syslog/parseSyslogRecord';
import { SyslogRecordFramer } from '../../src/services/syslog/syslogRecordFramer';
import { encodeSyslogWireRecord } from '../../src/services/syslog/syslogWireRecord';
import { ThrottledFlush } from '../../src/deviceLog/throttledFlush';
import { SyslogRelayService } from '../../src/services/syslog/syslogRelay';
import type { DeviceLogLevel } from '../../src/simulator/deviceLog';
import { demoScenario } from '../../src/simulator/scenario';
import { Simulator } from '../../src/simulator/simulator';
import { UsbmuxClient } from '../../src/usbmux/usbmuxClient';

const LINES = Number(process.env.BENCH_LINES ?? 300_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Lines the producer may be ahead of the consumer, so nothing buffers without bound. */
const WINDOW = 20_000;
const BURST = 2_000;
const UDID = '00008110-000A1B2C3D4E801E';

/** A realistic mix: short and long lines, images, levels, one in ten with non-ASCII text. */
const SAMPLES: Array<[string, DeviceLogLevel, string, string?]> = [
  ['BackupAgent2', 'Notice', 'Uploaded /var/mobile/Media/DCIM/100APPLE/IMG_0042.HEIC (2.4 MB) in 0.18 s'],
  ['SpringBoard', 'Notice', '[app<com.apple.Preferences>] Workspace assertion state did change: ForegroundFocal', 'FrontBoard'],
  ['backupd', 'Debug', 'Conditions: battery 81%, on power: yes, network: Wi-Fi'],
  ['mdmd', 'Notice', 'Received push for topic com.apple.mgmt.External.6F2A91C4-77B0', 'ManagedConfiguration'],
  ['lockdownd', 'Notice', 'Started service com.apple.afc on port 49153 (SSL)'],
  ['BackupAgent2', 'Error', 'Failed to upload /var/mobile/Library/SMS/Attachments/ab/12/IMG_1234.jpeg: Error Domain=MBErrorDomain Code=100 "Input/output error" (MBErrorDomain:100)'],
  ['profiled', 'Notice', 'Profile "WLAN Büro – Zentrale" is installed and valid'],
  ['SpringBoard', 'Warning', 'Battery level 22%, Low Power Mode suggestion suppressed', 'BatteryCenter'],
  ['kernel', 'Notice', 'AppleSEPKeyStore:2893:0: operation failed (pid: 412 sel: 7 ret: e00002c2 -536870206)'],
  ['SpringBoard', 'Notice', 'Notification posted: 設定のアップデートがあります'],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Framing, vis decoding and parsing alone, on bytes already in memory. */
function parserOnly(): number {
  const wire = Buffer.concat(Array.from({ length: 50_000 }, (_, i) => {
    const [process, level, message, image] = SAMPLES[i % SAMPLES.length];
    return encodeSyslogWireRecord({ time: 'Nov 23 18:29:22', device: 'Support-iPhone', process, image, pid: 100 + (i % 50), level, message });
  }));
  const start = process.hrtime.bigint();
  let parsed = 0;
  for (let round = 0; round < 6; round++) {
    const framer = new SyslogRecordFramer();
    for (let offset = 0; offset < wire.length; offset += 64 * 1024) {
      for (const raw of framer.push(wire.subarray(offset, offset + 64 * 1024))) if (parseSyslogRecord(raw).kind === 'record') parsed++;
    }
  }
  return parsed / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** One end-to-end run: LINES lines from the device's log bus into the editor-side model. */
async function endToEnd(simulator: Simulator, mux: UsbmuxClient, filtered: boolean): Promise<{ rate: number; refreshes: number }> {
  const device = simulator.device(UDID)!;
  const session = await DeviceSession.open(mux, UDID);
  const relay = new SyslogRelayService(session);
  await relay.connect();
  while (device.log.listenerCount === 0) await yieldToLoop();
  const view = new DeviceLogView();
  if (filtered) view.setFilter(createLogFilter({ process: 'BackupAgent2|SpringBoard', match: 'Failed|Notification' }));
  let refreshes = 0;
  // What the editor does on each refresh: take the document text.
  const refresh = new ThrottledFlush(() => {
    refreshes++;
    view.text();
  }, 250);
  let received = 0;
  const done = (async () => {
    for await (const batch of relay.batches()) {
      received += batch.length;
      if (view.append(batch)) refresh.request();
      if (received >= LINES) break;
    }
  })();
  const start = process.hrtime.bigint();
  for (let written = 0; written < LINES; ) {
    while (written - received > WINDOW) await yieldToLoop();
    for (let i = 0; i < BURST && written < LINES; i++, written++) {
      const [proc, level, message, image] = SAMPLES[written % SAMPLES.length];
      device.log.write(proc, undefined, level, message, image);
    }
    await yieldToLoop();
  }
  await done;
  refresh.flushNow();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  refresh.dispose();
  relay.close();
  await session.close();
  return { rate: LINES / seconds, refreshes };
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-bench-syslog-'));
  const simulator = await Simulator.start({ listen: { kind: 'tcp', host: '127.0.0.1', port: 0 }, scenario: demoScenario(), stateDir });
  try {
    const mux = new UsbmuxClient(simulator.address);
    console.log(`parser alone: ${Math.round(parserOnly()).toLocaleString('en-US')} lines/s`);
    for (const filtered of [false, true]) {
      const rates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const { rate, refreshes } = await endToEnd(simulator, mux, filtered);
        rates.push(rate);
        console.log(`${filtered ? 'filtered  ' : 'unfiltered'} round ${round + 1}: ${Math.round(rate).toLocaleString('en-US')} lines/s (${LINES.toLocaleString('en-US')} lines, ${refreshes} editor refreshes)`);
      }
      console.log(`${filtered ? 'filtered  ' : 'unfiltered'} median: ${Math.round(median(rates)).toLocaleString('en-US')} lines/s (goal ≥ 50,000)`);
    }
  } finally {
    await simulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
