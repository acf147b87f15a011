/**
 * Benchmark (not a test): our `backup --full` against Debian's `idevicebackup2 backup --full` of the
 * same simulated device, alternated in one run, for a device with many small files and one with a
 * few large files. Prints wall-time ratios ours/theirs and our peak RSS.
 * Run: npm run bench:backup   (BENCH_ROUNDS, default 2; BENCH_SCALE < 1 shrinks the datasets; BENCH_CASE=small
 * or large runs one of the two; BENCH_CLI: another build of the CLI)
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { BENCH_CLI, runBenchWithSimulator } from '../simulatorProcess';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CLI = BENCH_CLI;

const ALL_CASES = [
  { name: 'many small files', key: 'small', udid: '00008110-0000000000BE0001', files: Math.round(20_000 * SCALE), totalBytes: Math.round(200_000_000 * SCALE) },
  { name: 'a few large files', key: 'large', udid: '00008110-0000000000BE0002', files: 4, totalBytes: Math.round(1_200_000_000 * SCALE) },
];
const CASES = ALL_CASES.filter((c) => !process.env.BENCH_CASE || c.key === process.env.BENCH_CASE);

interface Timing {
  seconds: number;
  peakRssKb: number;
}

/** Runs a command under GNU time; returns wall seconds and peak RSS (kB). */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Timing {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${path.basename(command)} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [seconds, rss] = last.split(' ').map(Number);
  return { seconds, peakRssKb: rss };
}

const DEVICES = CASES.map((c, i) => ({ udid: c.udid, name: c.name, dataset: { files: c.files, totalBytes: c.totalBytes, seed: 10 + i } }));

runBenchWithSimulator('iosbr-bench-', DEVICES, async (work, sim) => {
  const env = { ...process.env, USBMUXD_SOCKET_ADDRESS: sim.address };
  for (const c of CASES) {
    const ours: Timing[] = [];
    const theirs: Timing[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const oursDir = path.join(work, 'ours');
      const theirsDir = path.join(work, 'theirs');
      rmSync(oursDir, { recursive: true, force: true });
      rmSync(theirsDir, { recursive: true, force: true });
      spawnSync('mkdir', ['-p', oursDir, theirsDir]);
      // Alternate who goes first, so neither always gets the warm page cache.
      const runOurs = () => ours.push(timed(process.execPath, [CLI, 'backup', c.udid, '--dir', oursDir, '--full'], env));
      const runTheirs = () => theirs.push(timed('idevicebackup2', ['-u', c.udid, 'backup', '--full', theirsDir], env));
      if (round % 2 === 0) {
        runOurs();
        runTheirs();
      } else {
        runTheirs();
        runOurs();
      }
      console.log(`${c.name} round ${round + 1}: ours ${ours.at(-1)!.seconds.toFixed(1)} s (${Math.round(ours.at(-1)!.peakRssKb / 1024)} MB), idevicebackup2 ${theirs.at(-1)!.seconds.toFixed(1)} s`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(ours.map((t) => t.seconds)) / median(theirs.map((t) => t.seconds));
    const peak = Math.max(...ours.map((t) => t.peakRssKb)) / 1024;
    console.log(`RESULT ${c.name} (${c.files} files, ${(c.totalBytes / 1e6).toFixed(0)} MB): ratio ours/idevicebackup2 ${ratio.toFixed(2)}, our peak RSS ${peak.toFixed(0)} MB`);
  }
});
