import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { ServiceProvider } from '../lockdown/serviceProvider';
import { getString, isPlistDict } from '../plist';
import type { ServiceConnection } from '../transport/serviceConnection';

/** Notification names used around backups (docs/protocol/other-services.md#notification-proxy). */
export const SYNC_NOTIFICATION = {
  /** Host posts: a sync is about to start. */
  WillStart: 'com.apple.itunes-mobdev.syncWillStart',
  /** Host posts: it wants the sync lock. */
  LockRequest: 'com.apple.itunes-mobdev.syncLockRequest',
  /** Host posts: it holds the lock. */
  DidStart: 'com.apple.itunes-mobdev.syncDidStart',
  /** Host posts: done, lock released. */
  DidFinish: 'com.apple.itunes-mobdev.syncDidFinish',
  /** Device posts: the user cancelled on the device. */
  CancelRequest: 'com.apple.itunes-client.syncCancelRequest',
  SuspendRequest: 'com.apple.itunes-client.syncSuspendRequest',
  ResumeRequest: 'com.apple.itunes-client.syncResumeRequest',
  /** Device posts: the backup lockdown domain changed (after ChangePassword). */
  BackupDomainChanged: 'com.apple.mobile.backup.domain_changed',
  /** Device posts: a passcode prompt is on screen / was dismissed. */
  PasscodePromptPresented: 'com.apple.LocalAuthentication.ui.presented',
  PasscodePromptDismissed: 'com.apple.LocalAuthentication.ui.dismissed',
} as const;

/** The device-originated names a backup host observes. */
export const BACKUP_OBSERVED_NOTIFICATIONS = [
  SYNC_NOTIFICATION.CancelRequest,
  SYNC_NOTIFICATION.SuspendRequest,
  SYNC_NOTIFICATION.ResumeRequest,
  SYNC_NOTIFICATION.BackupDomainChanged,
  SYNC_NOTIFICATION.PasscodePromptPresented,
  SYNC_NOTIFICATION.PasscodePromptDismissed,
] as const;

/** Longest notification name accepted from the device. */
const MAX_NOTIFICATION_NAME = 1024;

/**
 * com.apple.mobile.notification_proxy: posts notifications on the device and relays the ones the
 * host observes. One connection serves both; relayed names reach the listener given to connect().
 */
export class NotificationProxyService {
  static readonly SERVICE_NAME = 'com.apple.mobile.notification_proxy';

  private connection: ServiceConnection | undefined;
  private readonly logger: Logger;
  private closing = false;

  constructor(
    private readonly provider: ServiceProvider,
    logger: Logger = silentLogger,
  ) {
    this.logger = logger.child('notification_proxy');
  }

  /** Starts the service and begins relaying observed notifications to `onNotification`. */
  async connect(onNotification: (name: string) => void = () => undefined): Promise<void> {
    const connection = await this.provider.startService(NotificationProxyService.SERVICE_NAME);
    this.connection = connection;
    void this.relay(connection, onNotification);
  }

  /** Subscribes to a device notification. */
  observe(name: string): void {
    this.live().sendPlist({ Command: 'ObserveNotification', Name: name });
  }

  /** Broadcasts a notification on the device. */
  post(name: string): void {
    this.live().sendPlist({ Command: 'PostNotification', Name: name });
    this.logger.debug('posted', { name });
  }

  /** Asks the proxy to shut down (it answers ProxyDeath), then closes the connection. */
  async close(): Promise<void> {
    const connection = this.connection;
    if (!connection || this.closing) return;
    this.closing = true;
    try {
      connection.sendPlist({ Command: 'Shutdown' });
      // Give the device a moment to answer ProxyDeath so the posted notifications are delivered first.
      await new Promise<void>((resolve) => setTimeout(resolve, 50));
    } catch {
      // Already gone.
    } finally {
      connection.close();
    }
  }

  private live(): ServiceConnection {
    if (!this.connection) throw new Error('NotificationProxyService.connect() must be called first.');
    return this.connection;
  }

  private async relay(connection: ServiceConnection, onNotification: (name: string) => void): Promise<void> {
    for (;;) {
      let message;
      try {
        message = await connection.receivePlist(0);
      } catch {
        // Closed by us or by the device: nothing more will be relayed.
        return;
      }
      if (!isPlistDict(message)) continue;
      const command = getString(message, 'Command');
      if (command === 'ProxyDeath') return;
      const name = getString(message, 'Name');
      if (command === 'RelayNotification' && name !== undefined && name.length <= MAX_NOTIFICATION_NAME) {
        this.logger.debug('relayed', { name });
        onNotification(name);
      }
    }
  }
}
