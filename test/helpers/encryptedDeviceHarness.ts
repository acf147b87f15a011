import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineLogger } from '../../src/common/logger';
import { SimulatedDataset } from '../../src/simulator/dataset/simulatedDataset';
import { parseScenario, type DatasetSpec } from '../../src/simulator/scenario';
import { Simulator } from '../../src/simulator/simulator';
import { formatUsbmuxdAddress } from '../../src/usbmux/socketAddress';
import { run, runCli, type RunResult } from './simulatorHarness';

/** Keybag iteration counts that keep tests fast (real devices: 10,000,000 / 10,000). */
export const FAST_KEYBAG = { sha256: 1000, sha1: 10 } as const;

/** A simulator whose own log (every level) and device logs are kept, so tests can prove no password reached them. */
export interface CapturingSimulator {
  simulator: Simulator;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  /** Simulator log lines so far. */
  logLines: string[];
  /** Stops the simulator; the state dir stays unless `removeState`. */
  stop(removeState?: boolean): Promise<void>;
}

/** Starts a simulator on a free loopback port with its log captured at trace level (a fresh state dir unless one is given). */
export async function startCapturingSimulator(scenario: object, stateDir?: string): Promise<CapturingSimulator> {
  const dir = stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'iosbr-enc-sim-'));
  const logLines: string[] = [];
  const logger = new LineLogger((level, line) => logLines.push(`${level}: ${line}`), 'trace');
  const simulator = await Simulator.start({ listen: { kind: 'tcp', host: '127.0.0.1', port: 0 }, scenario: parseScenario(scenario), stateDir: dir, logger });
  return {
    simulator,
    env: cleanEnv({ USBMUXD_SOCKET_ADDRESS: formatUsbmuxdAddress(simulator.address) }),
    stateDir: dir,
    logLines,
    async stop(removeState = true) {
      await simulator.stop();
      if (removeState) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The test process's environment without any password variables, plus `extra`. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.IOSBR_PASSWORD;
  delete env.IOSBR_NEW_PASSWORD;
  return env;
}

/** The device's WillEncrypt as `ideviceinfo -q com.apple.mobile.backup -k WillEncrypt` prints it. */
export async function willEncrypt(env: NodeJS.ProcessEnv, udid: string): Promise<boolean> {
  const r = await run('ideviceinfo', ['-u', udid, '-q', 'com.apple.mobile.backup', '-k', 'WillEncrypt'], env);
  assert.equal(r.code, 0, r.stderr);
  const value = r.stdout.trim();
  assert.ok(value === 'true' || value === 'false', `ideviceinfo printed ${JSON.stringify(value)}`);
  return value === 'true';
}

/** Fails when any of the passwords appears in any of the texts (output, logs). */
export function assertNoPasswords(texts: readonly string[], passwords: readonly string[]): void {
  for (const text of texts) for (const password of passwords) assert.ok(!text.includes(password), 'a password appears in the output or a log');
}

/** The stdout and stderr of a run, for assertNoPasswords. */
export const outputOf = (r: RunResult): string[] => [r.stdout, r.stderr];

/** The built CLI run against whichever simulator `sim()` is current (env on top of its own), keeping every output for assertNoPasswords. */
export function outputKeepingCli(sim: () => CapturingSimulator): { cli: (args: string[], env?: NodeJS.ProcessEnv, stdin?: string) => Promise<RunResult>; outputs: string[] } {
  const outputs: string[] = [];
  return {
    outputs,
    async cli(args, env = {}, stdin) {
      const r = await runCli(args, { ...sim().env, ...env }, { stdin });
      outputs.push(...outputOf(r));
      return r;
    },
  };
}

/** The rows `iosbr ls --json` prints for a backup (IOSBR_PASSWORD set when it is encrypted). */
export async function lsRows(backupDir: string, env: NodeJS.ProcessEnv, password?: string): Promise<unknown[]> {
  const r = await runCli(['ls', backupDir, '--json'], password === undefined ? env : { ...env, IOSBR_PASSWORD: password });
  assert.equal(r.code, 0, r.stderr);
  if (password) assertNoPasswords(outputOf(r), [password]);
  return JSON.parse(r.stdout) as unknown[];
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function sha256OfContent(dataset: SimulatedDataset, entry: SimulatedDataset['entries'][number]): string {
  const hash = createHash('sha256');
  for (const chunk of dataset.content(entry)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Runs `iosbr extract` with the password on stdin into a fresh folder and checks that every file
 * of the dataset comes out byte-identical to the content the simulator generates for it.
 */
export async function assertExtractMatchesDataset(backupDir: string, env: NodeJS.ProcessEnv, password: string, spec: DatasetSpec): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'iosbr-enc-out-'));
  try {
    const r = await runCli(['extract', backupDir, '--out', out, '--password-stdin'], env, { stdin: `${password}\n` });
    assert.equal(r.code, 0, r.stderr);
    assertNoPasswords(outputOf(r), [password]);
    const dataset = SimulatedDataset.build(spec);
    for (const file of dataset.files()) {
      const extracted = path.join(out, file.domain, file.relativePath);
      assert.equal(await sha256OfFile(extracted), sha256OfContent(dataset, file), `${file.domain}/${file.relativePath} differs from the dataset`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A scenario (JSON, as a scenario file holds it) whose devices make fast keybags. */
export function fastKeybagScenario(...devices: Record<string, unknown>[]): { devices: Record<string, unknown>[] } {
  return { devices: devices.map((device) => ({ keybagIterations: FAST_KEYBAG, ...device })) };
}
