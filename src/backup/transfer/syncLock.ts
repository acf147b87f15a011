import { throwIfCancelled, type CancellationTokenLike } from '../../common/cancellation';
import { BackupError, isAfcError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import type { AfcService } from '../../services/afc';
import type { AfcFileHandle } from '../../services/afcClient';
import { AFC_LOCK, AFC_OPEN_MODE } from '../../services/afcPacket';
import { AFC_STATUS } from '../../services/afcStatus';
import { SYNC_NOTIFICATION, type NotificationProxyService } from '../../services/notificationProxy';

/** The file on the device's media partition whose lock marks "a host is syncing". */
export const SYNC_LOCK_FILE = '/com.apple.itunes.lock_sync';

/** Lock attempts while another host holds the lock (~10 s in all with the pause below, like lid). */
export const SYNC_LOCK_ATTEMPTS = 50;
/** Pause between two lock attempts. */
export const SYNC_LOCK_RETRY_MS = 200;

/**
 * The device's sync lock (docs/protocol/mobilebackup2.md#sync-lock): announce the sync, take an exclusive lock on the lock
 * file over AFC (retrying while another host holds it), announce the start; release in reverse.
 */
export class SyncLock {
  private handle: AfcFileHandle | undefined;

  constructor(
    private readonly notifications: NotificationProxyService,
    private readonly afc: AfcService,
    private readonly logger: Logger = silentLogger,
    private readonly retry = { attempts: SYNC_LOCK_ATTEMPTS, delayMs: SYNC_LOCK_RETRY_MS },
  ) {}

  /** Takes the lock; a lock held elsewhere for the whole retry window is a BackupError. */
  async acquire(token?: CancellationTokenLike): Promise<void> {
    this.notifications.post(SYNC_NOTIFICATION.WillStart);
    const handle = await this.afc.openFile(SYNC_LOCK_FILE, AFC_OPEN_MODE.ReadWrite);
    this.notifications.post(SYNC_NOTIFICATION.LockRequest);
    for (let attempt = 1; ; attempt++) {
      throwIfCancelled(token, 'Backup');
      try {
        await this.afc.lockFile(handle, AFC_LOCK.Exclusive, SYNC_LOCK_FILE);
        break;
      } catch (err) {
        const busy = isAfcError(err) && err.status === AFC_STATUS.OpWouldBlock;
        if (!busy || attempt >= this.retry.attempts) {
          await this.afc.closeFile(handle).catch(() => undefined);
          if (busy) {
            throw new BackupError(
              'Another computer or app is syncing with the device (its sync lock stayed busy); close iTunes, Finder or other backup tools and try again.',
              'backup.sync-lock-busy',
            );
          }
          throw new BackupError(`Cannot take the device's sync lock: ${(err as Error).message}`, 'backup.sync-lock-failed', undefined, { cause: err });
        }
        this.logger.debug('sync lock busy, retrying', { attempt });
        await new Promise((resolve) => setTimeout(resolve, this.retry.delayMs));
      }
    }
    this.handle = handle;
    this.notifications.post(SYNC_NOTIFICATION.DidStart);
  }

  /** Unlocks, closes the lock file and announces the end; best effort, never throws. */
  async release(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle !== undefined) {
      await this.afc.lockFile(handle, AFC_LOCK.Unlock, SYNC_LOCK_FILE).catch((err) => this.logger.debug('unlock failed', { reason: (err as Error).message }));
      await this.afc.closeFile(handle, SYNC_LOCK_FILE).catch(() => undefined);
    }
    try {
      this.notifications.post(SYNC_NOTIFICATION.DidFinish);
    } catch {
      // The device is gone; there is nobody left to tell.
    }
  }
}
