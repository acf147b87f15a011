import assert from 'node:assert/strict';
import type { BackupRunResult } from '../../../src/backup/engine/backupEngine';
import { CancelledError } from '../../../src/common/errors';
import { isDeviceBusyError } from '../../../src/device/deviceBusyError';
import type { DeviceFacts } from '../../../src/device/deviceFacts';
import type { BenchOperations } from '../../../src/kitting/benchOperations';
import type { BenchRowState } from '../../../src/kitting/benchRow';
import { KittingBench } from '../../../src/kitting/kittingBench';
import type { PairOptions } from '../../../src/lockdown/pairing';
import type { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';

const UDID = '00008110-0000000000B00009';

/** Lets every pending callback run, until `condition` holds (bounded: a bench that never gets there fails the test). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(condition(), `never: ${what}`);
}

/**
 * A device this computer is not paired with, whose pairing the test ends by hand: `pairings` holds each call's options
 * and the function that ends it (the way the real pairing ends when its token cancels: a CancelledError).
 */
class UntrustedDevice {
  readonly pairings: { options: PairOptions; end: (err?: Error) => void }[] = [];
  backups = 0;

  readonly operations: Partial<BenchOperations> = {
    readFacts: async (_mux, udid): Promise<DeviceFacts> => ({ udid, connectionType: 'USB', paired: false, name: 'New iPhone' }),
    pair: (_mux, _udid, options) =>
      new Promise<void>((resolve, reject) => this.pairings.push({ options, end: (err) => (err ? reject(err) : resolve()) })),
    runBackup: async (): Promise<BackupRunResult> => {
      this.backups++;
      throw new Error('not reached: the row is cancelled while pairing');
    },
  };
}

describe('kitting: cancelling a row while its device waits for "Trust"', () => {
  let device: UntrustedDevice;
  let bench: KittingBench;
  const state = (rowId: string): BenchRowState => bench.rows.find((r) => r.id === rowId)!.state;
  beforeEach(() => {
    device = new UntrustedDevice();
    bench = new KittingBench({ mux: {} as UsbmuxClient, backupRoot: '/root', operations: device.operations, waits: { progressIntervalMs: 60_000 } });
  });
  afterEach(() => bench.dispose());

  it('hands the row\'s cancellation to the pairing: cancel reaches it at once', async () => {
    const row = bench.addBackup(UDID);
    await until(() => device.pairings.length === 1, 'pairing started');
    const { token } = device.pairings[0].options;
    assert.ok(token, 'the pairing was given the row\'s cancellation');
    assert.equal(token.isCancellationRequested, false);
    let heard = false;
    token.onCancellationRequested(() => (heard = true));
    bench.cancel(row.id);
    assert.equal(token.isCancellationRequested, true);
    assert.equal(heard, true);
    device.pairings[0].end(new CancelledError('Pairing'));
    await bench.whenIdle();
    assert.equal(state(row.id), 'cancelled');
    assert.equal(device.backups, 0);
  });

  it('the cancelled row ends when its pairing has ended, so no second row for the device starts while it still runs', async () => {
    const row = bench.addBackup(UDID);
    await until(() => device.pairings.length === 1, 'pairing started');
    bench.cancel(row.id);
    // Still pairing: the device is still busy with this row.
    await new Promise((r) => setImmediate(r));
    assert.equal(state(row.id), 'waiting-for-trust');
    assert.throws(() => bench.addBackup(UDID), isDeviceBusyError);
    device.pairings[0].end(new CancelledError('Pairing'));
    await bench.whenIdle();
    assert.equal(state(row.id), 'cancelled');
    const again = bench.addBackup(UDID);
    await until(() => device.pairings.length === 2, 'the new row pairs');
    assert.notEqual(again.id, row.id);
  });
});
