import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBackup } from '../../../src/backup/engine/backupEngine';
import { runRestore } from '../../../src/restore/restoreEngine';
import { presentError } from '../../../src/cli/presentError';
import { parseScenario, type Scenario } from '../../../src/simulator/scenario';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { FAULT_CASES, type FaultCase } from './faultCases';
import { assertBackupIntact, SOURCE, TARGET, waitForDeviceIdle, waitForRestart } from './faultMatrixHarness';

/**
 * How long the host lets the device stay silent in these cases. Short, so a stall is found in
 * seconds; a 32 KiB block at the trickle's pace takes longer than this, so a host that timed whole
 * reads instead of silences would give up on a link that is still moving.
 */
const IDLE_TIMEOUT_MS = 1_500;
/** Long enough for the slowest case here; a host that waits out a stall past it has hung. */
const CASE_LIMIT_MS = 45_000;

/** A small source (the trickle sends all of it) and a large one (more than the socket buffers hold, so a stalled reader blocks the host). */
function scenario(faults: { source?: Record<string, unknown>; target?: Record<string, unknown> } = {}, large = false): Scenario {
  const restart = { afterRestoreDelayMs: 100, downMs: 300 };
  return parseScenario({
    devices: [
      { udid: SOURCE, productVersion: '17.2', restart, dataset: large ? { files: 6, totalBytes: 24_000_000, seed: 41 } : { files: 8, totalBytes: 80_000, seed: 41 }, faults: faults.source ?? {} },
      { udid: TARGET, productVersion: '17.2', restart, dataset: { files: 4, totalBytes: 8_000, seed: 42 }, faults: faults.target ?? {} },
    ],
  });
}

/** The sentence the CLI would print for what a run threw (the same function the CLI uses). */
function cliSentence(err: unknown): string {
  return presentError(err).line;
}

/**
 * The link slows to a trickle or stalls: the engines run in-process over real sockets against the
 * simulator, with a short idle timeout (the CLI keeps its minutes-long default). A slow link that
 * keeps moving completes; a stalled one fails within about the idle time with the sentence the CLI
 * prints; the last good backup is intact and a rerun completes.
 */
describe('fault matrix: slow and stalled links', function () {
  this.timeout(CASE_LIMIT_MS * 4);
  let h: SimulatorHarness;
  let mux: UsbmuxClient;
  let base: string;
  let root: string;

  const cases = (operation: FaultCase['operation']) => FAULT_CASES.filter((c) => c.setup === 'slow-link' && c.operation === operation);

  before(async () => {
    h = await startSimulator(scenario());
    mux = new UsbmuxClient(h.simulator.address);
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-slow-link-'));
    root = path.join(base, 'root');
    await runBackup({ mux, udid: SOURCE, root });
  });
  after(async () => {
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  /** Runs one faulted operation, bounded: a hang fails the case instead of the whole run. */
  async function bounded<T>(run: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
    const startedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${CASE_LIMIT_MS} ms: the host hangs on this link`)), CASE_LIMIT_MS);
    });
    try {
      return { value: await Promise.race([run, limit]), ms: Date.now() - startedAt };
    } catch (error) {
      if (error instanceof Error && /the host hangs/.test(error.message)) throw error;
      return { error, ms: Date.now() - startedAt };
    } finally {
      clearTimeout(timer);
    }
  }

  function assertEnded(fault: FaultCase, outcome: { value?: unknown; error?: unknown; ms: number }): void {
    if (fault.outcome.kind === 'completes') {
      assert.equal(outcome.error, undefined, `${fault.id}: ${outcome.error instanceof Error ? outcome.error.message : ''}`);
      return;
    }
    assert.ok(outcome.error, `${fault.id}: expected a failure`);
    assert.match(cliSentence(outcome.error), fault.outcome.sentence);
    assert.ok(outcome.ms < IDLE_TIMEOUT_MS * 10, `${fault.id}: failed within about the idle time (${outcome.ms} ms)`);
  }

  for (const fault of cases('backup')) {
    it(fault.id, async () => {
      h.simulator.applyScenario(scenario({ source: fault.faults }));
      const outcome = await bounded(runBackup({ mux, udid: SOURCE, root, full: true, idleTimeoutMs: IDLE_TIMEOUT_MS }));
      h.simulator.applyScenario(scenario());
      assertEnded(fault, outcome);
      await assertBackupIntact(h, root, base, h.simulator.device(SOURCE)!.currentContent());
      await waitForDeviceIdle(h, SOURCE);
      await runBackup({ mux, udid: SOURCE, root });
    });
  }

  for (const fault of cases('restore')) {
    it(fault.id, async () => {
      // A source larger than the socket buffers: the host is still sending when the device stops reading.
      h.simulator.applyScenario(scenario({}, true));
      const large = path.join(base, 'large');
      await runBackup({ mux, udid: SOURCE, root: large });
      const from = path.join(large, SOURCE);
      const restore = (idleTimeoutMs?: number) =>
        runRestore({ mux, udid: TARGET, backupDir: from, answers: { adeRestoreFromBackupAllowed: true }, idleTimeoutMs });

      h.simulator.applyScenario(scenario({ target: fault.faults }, true));
      const outcome = await bounded(restore(IDLE_TIMEOUT_MS));
      h.simulator.applyScenario(scenario({}, true));
      assertEnded(fault, outcome);
      await assertBackupIntact(h, large, base, h.simulator.device(SOURCE)!.currentContent());
      await waitForDeviceIdle(h, TARGET);
      await waitForRestart(h, TARGET);
      await restore();
      await waitForRestart(h, TARGET);
      h.simulator.applyScenario(scenario());
    });
  }

});
