import assert from 'node:assert/strict';
import { isBackupError, isCancelledError } from '../../../../src/common/errors';
import { SyncLock } from '../../../../src/backup/transfer/syncLock';
import { AfcError } from '../../../../src/common/errors';
import { neverCancelled, type CancellationTokenLike } from '../../../../src/common/cancellation';
import type { AfcService } from '../../../../src/services/afc';
import type { NotificationProxyService } from '../../../../src/services/notificationProxy';

/** Records notifications and AFC calls; lock attempts answer from a script of statuses. */
function fakes(lockStatuses: number[]) {
  const calls: string[] = [];
  const notifications = { post: (name: string) => calls.push(`post ${name.replace(/^com\.apple\.itunes-mobdev\./, '')}`) } as unknown as NotificationProxyService;
  const afc = {
    openFile: async (path: string, mode: number) => {
      calls.push(`open ${path} ${mode}`);
      return 9n;
    },
    lockFile: async (handle: bigint, op: number) => {
      calls.push(`lock ${handle} ${op}`);
      const status = op === 6 ? (lockStatuses.shift() ?? 0) : 0;
      if (status !== 0) throw new AfcError(`status ${status}`, status);
    },
    closeFile: async (handle: bigint) => {
      calls.push(`close ${handle}`);
    },
  } as unknown as AfcService;
  return { calls, notifications, afc };
}

describe('sync lock', () => {
  it('announces, opens r+, locks exclusively, announces the start; release unlocks, closes and announces the end', async () => {
    const { calls, notifications, afc } = fakes([]);
    const lock = new SyncLock(notifications, afc);
    await lock.acquire(neverCancelled);
    await lock.release();
    assert.deepEqual(calls, [
      'post syncWillStart', 'open /com.apple.itunes.lock_sync 2', 'post syncLockRequest', 'lock 9 6', 'post syncDidStart',
      'lock 9 12', 'close 9', 'post syncDidFinish',
    ]);
  });

  it('retries while another host holds the lock (AFC 19)', async () => {
    const { calls, notifications, afc } = fakes([19, 19]);
    await new SyncLock(notifications, afc, undefined, { attempts: 5, delayMs: 1 }).acquire();
    assert.equal(calls.filter((c) => c === 'lock 9 6').length, 3);
  });

  it('gives up with a clear sentence when the lock stays busy, closing the file', async () => {
    const { calls, notifications, afc } = fakes([19, 19, 19]);
    await assert.rejects(new SyncLock(notifications, afc, undefined, { attempts: 3, delayMs: 1 }).acquire(), (e) => isBackupError(e) && e.code === 'backup.sync-lock-busy' && /close iTunes, Finder or other backup tools/.test(e.message));
    assert.equal(calls.at(-1), 'close 9');
  });

  it('fails at once on another AFC error', async () => {
    const { calls, notifications, afc } = fakes([30]);
    await assert.rejects(new SyncLock(notifications, afc, undefined, { attempts: 5, delayMs: 1 }).acquire(), (e) => isBackupError(e) && e.code === 'backup.sync-lock-failed');
    assert.equal(calls.filter((c) => c === 'lock 9 6').length, 1);
    assert.equal(calls.at(-1), 'close 9');
  });

  it('stops retrying when cancelled', async () => {
    const { notifications, afc } = fakes([19, 19, 19, 19]);
    let cancelled = false;
    const token: CancellationTokenLike = { get isCancellationRequested() { return cancelled; }, onCancellationRequested: () => ({ dispose: () => undefined }) };
    setTimeout(() => (cancelled = true), 5);
    await assert.rejects(new SyncLock(notifications, afc, undefined, { attempts: 1000, delayMs: 2 }).acquire(token), isCancelledError);
  });

  it('release without a held lock only announces the end and never throws', async () => {
    const { calls, notifications, afc } = fakes([]);
    await new SyncLock(notifications, afc).release();
    assert.deepEqual(calls, ['post syncDidFinish']);
  });
});
