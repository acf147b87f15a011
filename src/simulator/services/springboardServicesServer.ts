import { createHash } from 'node:crypto';
import { getString, isPlistDict } from '../../plist';
import type { ServiceConnection } from '../../transport/serviceConnection';
import { solidColorPng } from '../solidColorPng';
import type { VirtualDevice } from '../virtualDevice';

/** Icon edge in pixels (the 60 pt @2x home-screen icon). */
const ICON_PIXELS = 120;

/** An icon whose colour is derived from the bundle id, so each app looks different but stable. */
function iconFor(bundleId: string): Buffer {
  const digest = createHash('sha256').update(bundleId, 'utf8').digest();
  return solidColorPng(ICON_PIXELS, ICON_PIXELS, [digest[0], digest[1], digest[2]]);
}

/**
 * com.apple.springboardservices, device side: app icons (idevicebackup2 stores them as
 * PlaceholderIcon in Info.plist), the wallpaper and the interface orientation. Unknown commands
 * end the connection, as SpringBoard drops clients it does not understand.
 */
export async function serveSpringboardServices(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  const log = device.logger.child('springboardservices');
  for (;;) {
    const request = await connection.receivePlist(0);
    const command = isPlistDict(request) ? getString(request, 'command') : undefined;
    switch (command) {
      case 'getIconPNGData': {
        const bundleId = isPlistDict(request) ? getString(request, 'bundleId') : undefined;
        connection.sendPlist({ pngData: iconFor((bundleId ?? '').slice(0, 1024)) }, 'binary');
        break;
      }
      case 'getHomeScreenWallpaperPNGData':
        connection.sendPlist({ pngData: solidColorPng(64, 128, [24, 40, 72]) }, 'binary');
        break;
      case 'getInterfaceOrientation':
        connection.sendPlist({ interfaceOrientation: 1 }, 'binary');
        break;
      default:
        log.debug('unsupported springboardservices command; closing', { command: command ?? '(none)' });
        return;
    }
  }
}
