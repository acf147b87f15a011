import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoScenario, parseScenario, type Scenario } from '../../src/simulator/scenario';
import { Simulator } from '../../src/simulator/simulator';
import { formatUsbmuxdAddress } from '../../src/usbmux/socketAddress';
import { LineLogger } from '../../src/common/logger';

/** The repository root (tests run from out/test/...). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** A running in-process simulator on a free loopback port, with its own state dir. */
export interface SimulatorHarness {
  simulator: Simulator;
  address: string;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  stop(): Promise<void>;
}

/** Starts a simulator (demo devices unless a scenario is given). */
export async function startSimulator(scenario: Scenario | object = demoScenario()): Promise<SimulatorHarness> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-sim-'));
  const parsed = 'devices' in scenario && Array.isArray(scenario.devices) && scenario.devices.every((d) => 'trust' in d)
    ? scenario
    : parseScenario(scenario);
  // IOSBR_TEST_SIM_LOG=trace|debug shows what the simulated devices did, for debugging a failing test.
  const level = process.env.IOSBR_TEST_SIM_LOG as 'trace' | 'debug' | undefined;
  const logger = level ? new LineLogger((lvl, line) => process.stderr.write(`sim ${lvl}: ${line}\n`), level) : undefined;
  const simulator = await Simulator.start({ listen: { kind: 'tcp', host: '127.0.0.1', port: 0 }, scenario: parsed, stateDir, logger });
  const address = formatUsbmuxdAddress(simulator.address);
  return {
    simulator,
    address,
    stateDir,
    env: { ...process.env, USBMUXD_SOCKET_ADDRESS: address },
    async stop() {
      await simulator.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The result of running a command to completion. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program asynchronously (so the in-process simulator keeps serving) with a time limit. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, options: { stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} ${args.join(' ')} did not finish in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs our CLI (dist/cli.js). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, options: { stdin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], env, options);
}

/** True when a libimobiledevice tool is installed. */
export function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** Skips the suite or test, saying which tools are missing, unless all of these libimobiledevice tools are installed. */
export function skipWithoutTools(context: Mocha.Context, ...tools: string[]): void {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length === 0) return;
  process.stderr.write(`    skipped: ${missing.join(' / ')} ${missing.length > 1 ? 'are' : 'is'} not installed (Debian package libimobiledevice-utils)\n`);
  context.skip();
}
