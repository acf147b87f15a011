import type { ServiceConnection } from '../../transport/serviceConnection';
import type { VirtualDevice } from '../virtualDevice';
import { crashReportStoreOf } from './crashReportStore';

/** The four bytes the mover sends once the reports are in the copy folder. */
const PING = Buffer.from('ping', 'ascii');

/**
 * com.apple.crashreportmover, device side: moves waiting crash reports into the folder
 * crashreportcopymobile serves, then sends "ping" (what hosts wait for before they start copying).
 */
export async function serveCrashReportMover(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  const moved = crashReportStoreOf(device).moveAll();
  device.logger.child('crashreportmover').debug('crash reports moved', { moved });
  try {
    connection.sendRaw(PING);
  } catch {
    // Some hosts (idevicecrashreport 1.3.0) hang up without waiting for the ping.
    return;
  }
  // Hosts close once they have the ping; anything they send is ignored.
  while (await connection.channel.incoming.readSome(1024, 0)) {
    // Ignored.
  }
}
