import assert from 'node:assert/strict';
import { isPlistDict, type PlistValue } from '../../../src/plist';
import { BACKUP_OBSERVED_NOTIFICATIONS, NotificationProxyService, SYNC_NOTIFICATION } from '../../../src/services/notificationProxy';
import type { ServiceConnection } from '../../../src/transport/serviceConnection';
import { loopbackServiceProvider } from '../../fakes/loopbackServiceProvider';

describe('notification_proxy client', () => {
  it('observes, posts, relays device notifications and shuts down with ProxyDeath', async () => {
    const received: PlistValue[] = [];
    let device: ServiceConnection | undefined;
    const provider = await loopbackServiceProvider({
      'com.apple.mobile.notification_proxy': async (d) => {
        device = d;
        for (;;) {
          const message = await d.receivePlist(5000);
          received.push(message);
          if (isPlistDict(message) && message.Command === 'Shutdown') {
            d.sendPlist({ Command: 'ProxyDeath' });
            return;
          }
        }
      },
    });
    const relayed: string[] = [];
    const np = new NotificationProxyService(provider);
    await np.connect((name) => relayed.push(name));
    for (const name of BACKUP_OBSERVED_NOTIFICATIONS) np.observe(name);
    np.post(SYNC_NOTIFICATION.WillStart);
    device?.sendPlist({ Command: 'RelayNotification', Name: SYNC_NOTIFICATION.CancelRequest });
    device?.sendPlist({ Command: 'RelayNotification', Name: 'x'.repeat(5000) });
    device?.sendPlist(['not', 'a', 'dict']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await np.close();
    await provider.close();
    assert.deepEqual(relayed, [SYNC_NOTIFICATION.CancelRequest], 'oversized names and non-dictionaries are ignored');
    assert.deepEqual(received.slice(0, 6), BACKUP_OBSERVED_NOTIFICATIONS.map((Name) => ({ Command: 'ObserveNotification', Name })));
    assert.deepEqual(received[6], { Command: 'PostNotification', Name: 'com.apple.itunes-mobdev.syncWillStart' });
    assert.deepEqual(received.at(-1), { Command: 'Shutdown' });
  });
});
