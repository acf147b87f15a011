/**
 * Benchmark (not a test): the kitting bench, eight devices at once. One simulator process serves a source
 * iPhone and eight others. Alternated rounds of:
 * - backup: ONE `iosbr backup <8 udids> --jobs 8 --dir D --full --json` process vs eight
 *   `idevicebackup2 -u <udid> backup --full D` processes started together;
 * - restore: the source's backup restored to the eight at once, ONE `iosbr restore --from B --to <8 udids>
 *   --jobs 8 --json` process vs eight `idevicebackup2 -u <udid> -s <source> restore B` processes started
 *   together (both: no system files, no settings, no copy, no removal, apps reinstalled, the device restarted:
 *   a device keeps a restore staged until it restarts, and refuses the next one until then). The simulated
 *   devices restart 0.1 s after the restore and are away 1 s; ours waits until each is back (polling every
 *   0.5 s, so it must be away longer than that to be seen leaving), idevicebackup2 does not wait, so ours
 *   carries 1.1–1.6 s the peer does not.
 * Prints the wall-time ratios ours / idevicebackup2, our peak RSS (GNU time) and, for our backups, the
 * slowest device against the median device (per-device durations from --json).
 * Run: npm run bench:kitting   (BENCH_ROUNDS, default 3; BENCH_SCALE < 1 shrinks the datasets: 2,000 files /
 * 100 MB per device at 1; BENCH_DEVICES, default 8; BENCH_CLI: another build of the CLI)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_CLI, runBenchWithSimulator } from '../simulatorProcess';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 8);
const FILES = Math.max(10, Math.round(2_000 * SCALE));
const BYTES = Math.round(100_000_000 * SCALE);

const SOURCE_UDID = '00008110-0000000000BC0000';
const TARGET_UDIDS = Array.from({ length: DEVICES }, (_, i) => `00008110-0000000000BC00${String(i + 1).padStart(2, '0')}`);

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, keeping its output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function mustSucceed(what: string, r: Finished): Finished {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr.slice(-1500)}`);
  return r;
}

interface OurRun {
  seconds: number;
  /** CPU seconds (user + system) of the process: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMb: number;
  /** Per-device durations (seconds) from --json. */
  deviceSeconds: number[];
}

/** Our CLI under GNU time, with --json: wall time (measured here, as for the peer), peak RSS, per-device durations. */
async function runOurs(args: string[], env: NodeJS.ProcessEnv): Promise<OurRun> {
  const started = performance.now();
  const r = mustSucceed('iosbr ' + args[0], await run('/usr/bin/time', ['-f', 'TIME %e %M %U %S', process.execPath, BENCH_CLI, ...args, '--json'], env));
  const seconds = (performance.now() - started) / 1000;
  const timeLine = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('TIME ')) ?? '';
  const [, , rssKb, user, system] = timeLine.split(' ').map(Number);
  const peakRssMb = rssKb / 1024;
  const rows = JSON.parse(r.stdout) as Array<{ udid: string; state: string; durationMs: number | null }>;
  const failed = rows.filter((row) => row.state !== 'done');
  if (failed.length > 0 || rows.length !== TARGET_UDIDS.length) throw new Error(`iosbr ${args[0]}: not every device done: ${JSON.stringify(rows.map((row) => [row.udid, row.state]))}`);
  return { seconds, cpuSeconds: user + system, peakRssMb, deviceSeconds: rows.map((row) => (row.durationMs ?? 0) / 1000) };
}

interface TheirRun {
  seconds: number;
  /** CPU seconds (user + system) of the eight processes together. */
  cpuSeconds: number;
}

/** Eight idevicebackup2 processes started together: wall time until the last one ends, and their CPU time. */
async function runTheirs(argsOf: (udid: string) => string[], env: NodeJS.ProcessEnv): Promise<TheirRun> {
  const started = performance.now();
  const results = await Promise.all(TARGET_UDIDS.map((udid) => run('/usr/bin/time', ['-f', 'TIME %U %S', 'idevicebackup2', ...argsOf(udid)], env)));
  const seconds = (performance.now() - started) / 1000;
  let cpuSeconds = 0;
  results.forEach((r, i) => {
    mustSucceed(`idevicebackup2 for ${TARGET_UDIDS[i]}`, r);
    const timeLine = r.stderr.trim().split('\n').reverse().find((l) => l.startsWith('TIME ')) ?? '';
    const [, user, system] = timeLine.split(' ').map(Number);
    cpuSeconds += user + system;
  });
  return { seconds, cpuSeconds };
}

/** Long enough for a simulated device to have left after a restore (it restarts 0.1 s after it, for 1 s). */
const RESTARTING_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Not timed: waits until the restored devices have restarted and usbmuxd lists every one again (at most a minute). */
async function devicesBack(env: NodeJS.ProcessEnv): Promise<void> {
  await sleep(RESTARTING_MS);
  for (let tries = 0; tries < 120; tries++) {
    const listed = (await run('idevice_id', ['-l'], env)).stdout;
    if (TARGET_UDIDS.every((udid) => listed.includes(udid))) return;
    await sleep(500);
  }
  throw new Error('The restored devices did not come back within a minute.');
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The result line's figures: medians of wall and CPU time, ratios ours / theirs, our peak RSS. */
function comparison(ours: readonly OurRun[], theirs: readonly TheirRun[]): string {
  const wall = [median(ours.map((o) => o.seconds)), median(theirs.map((t) => t.seconds))];
  const cpu = [median(ours.map((o) => o.cpuSeconds)), median(theirs.map((t) => t.cpuSeconds))];
  return (
    `wall ratio ours/idevicebackup2 ${(wall[0] / wall[1]).toFixed(2)} (${wall[0].toFixed(1)} s vs ${wall[1].toFixed(1)} s), ` +
    `CPU ratio ${(cpu[0] / cpu[1]).toFixed(2)} (${cpu[0].toFixed(1)} s vs ${cpu[1].toFixed(1)} s), our peak RSS ${Math.max(...ours.map((o) => o.peakRssMb)).toFixed(0)} MB`
  );
}

function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

const BENCH_DEVICES_SPEC = [SOURCE_UDID, ...TARGET_UDIDS].map((udid, i) => ({
  udid,
  name: `Bench iPhone ${i}`,
  dataset: { files: FILES, totalBytes: BYTES, seed: 40 + i },
  restart: { afterRestoreDelayMs: 100, downMs: 1_000 },
}));

runBenchWithSimulator('iosbr-bench-kitting-', BENCH_DEVICES_SPEC, async (work, sim) => {
  const env = { ...process.env, USBMUXD_SOCKET_ADDRESS: sim.address };
  console.log(`${DEVICES} devices, ${FILES} files / ${(BYTES / 1e6).toFixed(0)} MB each, ${ROUNDS} rounds, CLI ${BENCH_CLI}`);
  // Backups.
  const ours: OurRun[] = [];
  const theirs: TheirRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const oursDir = freshDir(path.join(work, 'ours'));
    const theirsDir = freshDir(path.join(work, 'theirs'));
    const one = async () => ours.push(await runOurs(['backup', ...TARGET_UDIDS, '--jobs', String(DEVICES), '--dir', oursDir, '--full'], env));
    const eight = async () => theirs.push(await runTheirs((udid) => ['-u', udid, 'backup', '--full', theirsDir], env));
    // Alternate who goes first, so neither always gets the warm page cache.
    if (round % 2 === 0) await one().then(eight);
    else await eight().then(one);
    const o = ours.at(-1)!;
    const t = theirs.at(-1)!;
    console.log(
      `backup round ${round + 1}: ours ${o.seconds.toFixed(1)} s (CPU ${o.cpuSeconds.toFixed(1)} s, ${o.peakRssMb.toFixed(0)} MB, devices ${Math.min(...o.deviceSeconds).toFixed(1)}–${Math.max(...o.deviceSeconds).toFixed(1)} s), ` +
        `${DEVICES} × idevicebackup2 ${t.seconds.toFixed(1)} s (CPU ${t.cpuSeconds.toFixed(1)} s)`,
    );
  }
  const spread = ours.map((o) => Math.max(...o.deviceSeconds) / median(o.deviceSeconds));
  console.log(`RESULT backup of ${DEVICES} devices: ${comparison(ours, theirs)}, slowest device / median device ${median(spread).toFixed(2)} (worst round ${Math.max(...spread).toFixed(2)})`);
  rmSync(path.join(work, 'ours'), { recursive: true, force: true });
  rmSync(path.join(work, 'theirs'), { recursive: true, force: true });

  // Restores: one backup of the source, made once by us, restored to the eight.
  const backupRoot = freshDir(path.join(work, 'source'));
  mustSucceed('iosbr backup of the source', await run(process.execPath, [BENCH_CLI, 'backup', SOURCE_UDID, '--dir', backupRoot, '--full'], env));
  const restored: OurRun[] = [];
  const theirRestores: TheirRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const one = async () => {
      restored.push(await runOurs(['restore', '--from', path.join(backupRoot, SOURCE_UDID), '--to', ...TARGET_UDIDS, '--jobs', String(DEVICES)], env));
      await devicesBack(env);
    };
    const eight = async () => {
      theirRestores.push(await runTheirs((udid) => ['-u', udid, '-s', SOURCE_UDID, 'restore', backupRoot], env));
      await devicesBack(env);
    };
    if (round % 2 === 0) await one().then(eight);
    else await eight().then(one);
    const o = restored.at(-1)!;
    const t = theirRestores.at(-1)!;
    console.log(
      `restore round ${round + 1}: ours ${o.seconds.toFixed(1)} s (CPU ${o.cpuSeconds.toFixed(1)} s, ${o.peakRssMb.toFixed(0)} MB), ${DEVICES} × idevicebackup2 ${t.seconds.toFixed(1)} s (CPU ${t.cpuSeconds.toFixed(1)} s)`,
    );
  }
  console.log(`RESULT restore to ${DEVICES} devices: ${comparison(restored, theirRestores)}`);
});
