import { getString, isPlistDict } from '../../plist';
import type { ServiceConnection } from '../../transport/serviceConnection';
import type { VirtualDevice } from '../virtualDevice';

/** Longest notification name accepted (real names are reverse-DNS strings well under this). */
const MAX_NAME_LENGTH = 1024;

/**
 * com.apple.mobile.notification_proxy, device side: ObserveNotification subscribes this connection,
 * PostNotification broadcasts on the device, Shutdown is answered with ProxyDeath.
 */
export async function serveNotificationProxy(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  const log = device.logger.child('notification_proxy');
  const relay = (name: string): void => {
    try {
      connection.sendPlist({ Command: 'RelayNotification', Name: name });
    } catch (err) {
      // The poster (another connection or the device) must not fail because this observer went away.
      log.debug('relay to a closed connection dropped', { name, reason: (err as Error).message });
    }
  };
  const unregister = device.notifications.register(relay);
  try {
    for (;;) {
      const request = await connection.receivePlist(0);
      const command = isPlistDict(request) ? getString(request, 'Command') : undefined;
      const name = isPlistDict(request) ? getString(request, 'Name') : undefined;
      if (command === 'Shutdown') {
        connection.sendPlist({ Command: 'ProxyDeath' });
        unregister();
        // The host closes the connection once it has read ProxyDeath; closing first could lose it.
        await drainUntilClosed(connection);
        return;
      }
      if ((command === 'ObserveNotification' || command === 'PostNotification') && name !== undefined && name.length > 0 && name.length <= MAX_NAME_LENGTH) {
        if (command === 'ObserveNotification') {
          if (!device.notifications.observe(relay, name)) log.warn('too many observed notifications; ignored', { name });
          else log.trace('observing', { name });
        } else {
          log.debug('notification posted by host', { name });
          device.notifications.post(name);
        }
        continue;
      }
      // Real devices ignore malformed commands silently; the log says what was dropped.
      log.debug('ignored notification_proxy request', { command: command ?? '(none)' });
    }
  } finally {
    unregister();
  }
}

async function drainUntilClosed(connection: ServiceConnection): Promise<void> {
  try {
    for (;;) await connection.receivePlist(10_000);
  } catch {
    // Closed (or silent for 10 s): either way this connection is done.
  }
}
