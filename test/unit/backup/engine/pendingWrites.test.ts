import assert from 'node:assert/strict';
import { PendingWrites, processWritesInFlight } from '../../../../src/backup/engine/pendingWrites';

describe('backup engine: small-file writes in flight', () => {
  it('eight backups at once never have more than 128 writes in flight in the process, and every write runs', async () => {
    const release: (() => void)[] = [];
    let started = 0;
    let highest = 0;
    const write = () =>
      new Promise<void>((resolve) => {
        started++;
        highest = Math.max(highest, processWritesInFlight());
        release.push(resolve);
      });
    const backups = Array.from({ length: 8 }, () => new PendingWrites(32, 64 * 1024 * 1024));
    // Each backup adds 40 writes of 1 KiB; add() waits when its own backup has 32 in flight.
    const adding = backups.map(async (writes) => {
      for (let i = 0; i < 40; i++) await writes.add(1024, write);
    });
    const settled = Promise.all(adding).then(() => Promise.all(backups.map((w) => w.settle())));
    let done = false;
    void settled.then(() => (done = true));
    for (let turn = 0; turn < 10_000 && !done; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(processWritesInFlight() <= 128, `at most 128 in flight (${processWritesInFlight()})`);
      // Finish a few writes each turn, oldest first.
      release.splice(0, 5).forEach((finish) => finish());
    }
    await settled;
    assert.equal(started, 8 * 40);
    assert.equal(highest, 128, 'the bound is reached (8 × 32 would be 256)');
    assert.equal(processWritesInFlight(), 0);
  });
});
