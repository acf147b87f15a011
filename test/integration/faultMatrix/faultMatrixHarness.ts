import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { listBackups } from '../../../src/backup/format/backupFolder';
import type { SimulatedDataset } from '../../../src/simulator/dataset/simulatedDataset';
import { parseScenario, type Scenario } from '../../../src/simulator/scenario';
import { runCli, type RunResult, type SimulatorHarness } from '../../helpers/simulatorHarness';
import type { FaultCase } from './faultCases';

/** The device backed up in the matrix, and the device restores go to. */
export const SOURCE = '00008110-000A1B2C3D4E801E';
export const TARGET = '00008120-001C2D3E4F5A602E';

/** Small datasets keep the matrix quick; a restart right after a restore keeps the restore cases quick. */
const SOURCE_DATASET = { files: 30, totalBytes: 300_000, seed: 31 };
const TARGET_DATASET = { files: 10, totalBytes: 20_000, seed: 32 };
const FAST_RESTART = { afterRestoreDelayMs: 100, downMs: 300 };

/** The two devices, with faults on one of them for one run. */
export function matrixScenario(faults: { source?: Record<string, unknown>; target?: Record<string, unknown> } = {}): Scenario {
  return parseScenario({
    devices: [
      { udid: SOURCE, name: 'Matrix iPhone', productVersion: '17.2', restart: FAST_RESTART, dataset: SOURCE_DATASET, faults: faults.source ?? {} },
      { udid: TARGET, name: 'Target iPhone', productVersion: '17.2', restart: FAST_RESTART, dataset: TARGET_DATASET, faults: faults.target ?? {} },
    ],
  });
}

/** The scenario that puts a case's faults on the device it is about. */
export function scenarioFor(fault: FaultCase): Scenario {
  return matrixScenario(fault.operation === 'backup' ? { source: fault.faults } : { target: fault.faults });
}

/** A failing run: exit 1, the expected sentence on a line of its own, no stack trace; a completing one: exit 0. */
export function assertOutcome(fault: FaultCase, result: RunResult): void {
  if (fault.outcome.kind === 'completes') {
    assert.equal(result.code, 0, `${fault.id}: expected success, got ${result.code}: ${result.stderr}`);
    return;
  }
  assert.equal(result.code, 1, `${fault.id}: expected exit 1, got ${result.code}: ${result.stderr}`);
  assert.match(result.stderr, fault.outcome.sentence, `${fault.id}: stderr was\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `${fault.id}: no stack trace`);
  assert.doesNotMatch(result.stderr, /Unhandled|TypeError|undefined/, `${fault.id}: no internal error`);
}

/** A backup of the source device that lists as complete, extracts whole, and holds exactly the device's dataset. */
export async function assertBackupIntact(h: SimulatorHarness, root: string, scratch: string, dataset: SimulatedDataset): Promise<void> {
  const backupDir = path.join(root, SOURCE);
  // What `backups` lists (its own code, in-process: one CLI start less per case).
  const complete = (await listBackups(root)).filter((b) => b.complete);
  assert.deepEqual(complete.map((b) => path.basename(b.dir)), [SOURCE], 'the good backup lists as complete');

  const out = path.join(scratch, 'extracted');
  await fs.rm(out, { recursive: true, force: true });
  const extract = await runCli(['extract', backupDir, '--out', out, '--json'], h.env);
  assert.equal(extract.code, 0, extract.stderr);
  const files = dataset.files();
  assert.equal((JSON.parse(extract.stdout) as { filesWritten: number }).filesWritten, files.length);
  for (const file of files) {
    const expected = createHash('sha256');
    for (const chunk of dataset.content(file)) expected.update(chunk);
    const actual = createHash('sha256').update(await fs.readFile(path.join(out, file.domain, file.relativePath))).digest('hex');
    assert.equal(actual, expected.digest('hex'), `${file.domain}/${file.relativePath} extracts as the device holds it`);
  }
  await fs.rm(out, { recursive: true, force: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a restored device has restarted (its staged files in place) and is attached again. */
export async function waitForRestart(h: SimulatorHarness, udid: string): Promise<void> {
  const device = h.simulator.device(udid);
  assert.ok(device, udid);
  const deadline = Date.now() + 20_000;
  while (device.restored.hasPendingRestore || !h.simulator.attached().includes(device)) {
    if (Date.now() > deadline) throw new Error(`${udid} did not come back after its restart`);
    await sleep(50);
  }
}

/** Waits until the device has given up its side of a stalled request (it notices the host left once the stall ends). */
export async function waitForDeviceIdle(h: SimulatorHarness, udid: string): Promise<void> {
  const device = h.simulator.device(udid);
  assert.ok(device, udid);
  const deadline = Date.now() + 20_000;
  while (device.backupInProgress) {
    if (Date.now() > deadline) throw new Error(`${udid} still works on the stalled request`);
    await sleep(50);
  }
}
