import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The bundled CLI the benchmarks drive (built by `npm run build`); `BENCH_CLI` names another build of it
 * (e.g. an older commit's, to measure before and after in one run, or one outside a dist/ that is being rebuilt).
 */
export const BENCH_CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.resolve(__dirname, '..', '..', 'dist', 'cli.js');

/** A simulator running as its own process, as a real usbmuxd would be: the benchmark measures only the host. */
export interface SimulatorProcess {
  /** The USBMUXD_SOCKET_ADDRESS of its virtual usbmuxd. */
  address: string;
  stop(): void;
}

/**
 * Starts `iosbr simulate` with the given scenario devices in `work`, and resolves once it prints the
 * address it listens on (rejects if it exits first).
 */
export async function startSimulatorProcess(work: string, devices: readonly Record<string, unknown>[]): Promise<SimulatorProcess> {
  const scenarioFile = path.join(work, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify({ devices }));
  const sim = spawn(process.execPath, [BENCH_CLI, 'simulate', '--listen', '127.0.0.1:0', '--scenario', scenarioFile, '--state-dir', path.join(work, 'state')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    sim.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    sim.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  return { address, stop: () => sim.kill('SIGTERM') };
}

/**
 * Runs a benchmark's body with a simulator of `devices` in a fresh work folder (named from `prefix`): the
 * simulator is stopped and the folder removed however the body ends; a failure is printed and sets exit code 1.
 */
export function runBenchWithSimulator(prefix: string, devices: readonly Record<string, unknown>[], body: (work: string, sim: SimulatorProcess) => Promise<void>): void {
  const run = async (): Promise<void> => {
    const work = mkdtempSync(path.join(os.tmpdir(), prefix));
    try {
      const sim = await startSimulatorProcess(work, devices);
      try {
        await body(work, sim);
      } finally {
        sim.stop();
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };
  run().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
