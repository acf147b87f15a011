import assert from 'node:assert/strict';
import { BackupProgressTracker, type BackupProgress } from '../../../../src/backup/engine/backupProgress';
import { formatByteCount } from '../../../../src/common/byteCount';
import { linkedCancellation } from '../../../../src/common/linkedCancellation';
import { tokenFromAbortSignal } from '../../../../src/common/cancellation';

describe('backup progress, byte counts and linked cancellation', () => {
  it('tracks phase, device percent, files, bytes and the rate since the transfer started', () => {
    let now = 1000;
    const seen: BackupProgress[] = [];
    const tracker = new BackupProgressTracker((p) => seen.push(p), () => now);
    tracker.setPhase('waiting-for-device');
    now = 3000;
    tracker.setPercent(5);
    assert.equal(seen.at(-1)?.phase, 'transferring', 'the first percent starts the transfer');
    now = 5000;
    tracker.addBytes(4000);
    tracker.addFile();
    assert.deepEqual(tracker.snapshot(), { phase: 'transferring', percent: 5, filesReceived: 1, bytesReceived: 4000, bytesPerSecond: 2000, elapsedMs: 4000 });
  });

  it('formats byte counts in decimal units', () => {
    assert.equal(formatByteCount(0), '0 B');
    assert.equal(formatByteCount(999), '999 B');
    assert.equal(formatByteCount(1500), '1.5 KB');
    assert.equal(formatByteCount(2_000_000), '2.0 MB');
    assert.equal(formatByteCount(3.25e12), '3.3 TB');
  });

  it('a linked token cancels with its parent or on its own', () => {
    const controller = new AbortController();
    const linked = linkedCancellation(tokenFromAbortSignal(controller.signal));
    let fired = 0;
    linked.token.onCancellationRequested(() => fired++);
    controller.abort();
    assert.equal(linked.token.isCancellationRequested, true);
    assert.equal(fired, 1);
    const own = linkedCancellation(undefined);
    own.cancel();
    own.cancel();
    assert.equal(own.token.isCancellationRequested, true);
    let late = 0;
    own.token.onCancellationRequested(() => late++);
    assert.equal(late, 1, 'a listener added after cancellation runs at once');
    linked.dispose();
    own.dispose();
  });
});
