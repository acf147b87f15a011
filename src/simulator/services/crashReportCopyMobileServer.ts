import type { ServiceConnection } from '../../transport/serviceConnection';
import type { MediaFileSystem } from '../mediaFileSystem';
import type { VirtualDevice } from '../virtualDevice';
import { serveAfc } from './afcServer';
import { crashReportStoreOf } from './crashReportStore';

/**
 * com.apple.crashreportcopymobile, device side: the AFC server of com.apple.afc, rooted at the crash
 * report folder instead of the media partition. The AFC server reads the tree from `mediaFiles`, so
 * it gets a view of the device whose `mediaFiles` is the crash folder (everything else is the device).
 */
export async function serveCrashReportCopyMobile(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  const crashFolder: MediaFileSystem = crashReportStoreOf(device).copyArea;
  const rootedAtCrashFolder = Object.create(device, { mediaFiles: { value: crashFolder } }) as VirtualDevice;
  await serveAfc(connection, rootedAtCrashFolder);
}
