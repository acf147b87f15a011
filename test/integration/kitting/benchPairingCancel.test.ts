import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linkedCancellation } from '../../../src/common/linkedCancellation';
import { isCancelledError } from '../../../src/common/errors';
import { FINISHED_BENCH_STATES, type BenchRow } from '../../../src/kitting/benchRow';
import { ENGINE_OPERATIONS } from '../../../src/kitting/benchOperations';
import { KittingBench } from '../../../src/kitting/kittingBench';
import { pairDevice } from '../../../src/lockdown/pairing';
import { parseScenario } from '../../../src/simulator/scenario';
import type { VirtualDevice } from '../../../src/simulator/virtualDevice';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

/** Not paired; the simulated person taps "Trust" only after a minute, so every test here cancels while the dialog is up. */
const UNTRUSTED = '00008110-0000000000B2000A';
const SLOW_TRUST = { response: 'trust', delayMs: 60_000 };

/** Resolves when `condition` holds, polling the simulator (bounded well under the minute the person takes to tap "Trust"). */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(condition(), `never: ${what}`);
}

/** Resolves with the first row event that satisfies `condition` (or the row as it is, when it already does). */
function whenRow(bench: KittingBench, condition: (row: BenchRow) => boolean): Promise<BenchRow> {
  const now = bench.rows.find(condition);
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const subscription = bench.onDidChange((row) => {
      if (!condition(row)) return;
      subscription.dispose();
      resolve(row);
    });
  });
}

describe('kitting bench: cancelling while a device waits for "Trust" (simulator, in process)', function () {
  this.timeout(120_000);
  let h: SimulatorHarness;
  let mux: UsbmuxClient;
  let root: string;
  let device: VirtualDevice;

  before(async () => {
    h = await startSimulator(
      parseScenario({
        devices: [{ udid: UNTRUSTED, name: 'New iPhone', productType: 'iPhone14,5', productVersion: '17.2', buildVersion: '21C62', paired: false, trust: SLOW_TRUST, dataset: { files: 5, totalBytes: 20_000, seed: 1 } }],
      }),
    );
    mux = new UsbmuxClient(h.simulator.address);
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-pair-cancel-'));
    const found = h.simulator.device(UNTRUSTED);
    assert.ok(found);
    device = found;
  });
  after(async () => {
    await h?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('pairDevice: cancelling the wait for "Trust" ends it with CancelledError and closes its lockdownd connection', async () => {
    const cancellation = linkedCancellation(undefined);
    let waiting = false;
    const pairing = pairDevice(mux, UNTRUSTED, { token: cancellation.token, pollIntervalMs: 200, onWaitingForTrust: () => (waiting = true) });
    const outcome = pairing.then(
      () => 'paired',
      (err: unknown) => err,
    );
    await eventually(() => waiting, 'the Trust dialog is up');
    assert.equal(device.openConnections, 1, 'the pairing holds one lockdownd connection while it waits');
    cancellation.cancel();
    const err = await outcome;
    assert.ok(isCancelledError(err), String(err));
    await eventually(() => device.openConnections === 0, 'the device saw the connection close');
    assert.equal(device.trustedHosts.size, 0);
    cancellation.dispose();
  });

  it('a bench row cancelled while waiting for "Trust" ends cancelled once its pairing has ended; the device is free for a new row', async () => {
    const pairings: Promise<unknown>[] = [];
    const bench = new KittingBench({
      mux,
      backupRoot: root,
      // The real pairing, wrapped only to see when it ends.
      operations: {
        pair: (m, u, options) => {
          const pairing = ENGINE_OPERATIONS.pair(m, u, options);
          pairings.push(pairing.catch((err: unknown) => err));
          return pairing;
        },
      },
    });
    try {
      const row = bench.addBackup(UNTRUSTED);
      await whenRow(bench, (r) => r.id === row.id && r.state === 'waiting-for-trust');
      await eventually(() => device.openConnections === 1, 'the pairing connected');
      bench.cancel(row.id);
      await bench.whenIdle();
      const ended = bench.rows.find((r) => r.id === row.id);
      assert.equal(ended?.state, 'cancelled', JSON.stringify(ended));
      assert.ok(FINISHED_BENCH_STATES.includes(ended.state));
      assert.equal(pairings.length, 1);
      assert.ok(isCancelledError(await pairings[0]), 'the pairing itself was cancelled, not left running');
      await eventually(() => device.openConnections === 0, 'the pairing\'s connection closed');
      assert.equal(device.trustedHosts.size, 0);
      // The device is free again: a new row starts its own pairing (cancelled in turn, so nothing waits a minute).
      const again = bench.addBackup(UNTRUSTED);
      await whenRow(bench, (r) => r.id === again.id && r.state === 'waiting-for-trust');
      bench.cancel(again.id);
      await bench.whenIdle();
      assert.equal(bench.rows.find((r) => r.id === again.id)?.state, 'cancelled');
    } finally {
      bench.dispose();
    }
  });
});
