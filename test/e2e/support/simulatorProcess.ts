import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** The simulator CLI (`node dist/cli.js simulate`) running with a scenario file it watches. */
export interface SimulatorProcess {
  address: string;
  /** Rewrites the scenario file; the simulator applies it (attach, detach) within about a second. */
  writeScenario(scenario: object): void;
  stop(): Promise<void>;
}

/** Starts the simulator on a free loopback port and waits for its "listening on" line. */
export async function startSimulatorProcess(cli: string, scenarioFile: string, stateDir: string, scenario: object): Promise<SimulatorProcess> {
  writeFileSync(scenarioFile, JSON.stringify(scenario, null, 2));
  const child = spawn(process.execPath, [cli, 'simulate', '--listen', '127.0.0.1:0', '--scenario', scenarioFile, '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not start:\n${output}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /listening on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}:\n${output}`)));
  });
  return {
    address,
    writeScenario: (next) => writeFileSync(scenarioFile, JSON.stringify(next, null, 2)),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
