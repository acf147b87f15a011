import type { ServiceConnection } from '../../transport/serviceConnection';
import type { VirtualDevice } from '../virtualDevice';

/** Most bytes queued for one write; beyond it a burst is dropped, as a device drops lines for a slow reader. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/**
 * com.apple.syslog_relay, device side: streams every line written to the device's log bus, in the
 * real record format (vis-encoded text, "\n", NUL), until the host hangs up. Lines written in the
 * same turn of the event loop go out in one write, which keeps a flood of lines cheap.
 */
export async function serveSyslogRelay(connection: ServiceConnection, device: VirtualDevice): Promise<void> {
  const log = device.logger.child('syslog_relay');
  const queued: Buffer[] = [];
  let queuedBytes = 0;
  let dropped = 0;
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (queued.length === 0) return;
    const bytes = Buffer.concat(queued, queuedBytes);
    queued.length = 0;
    queuedBytes = 0;
    try {
      connection.sendRaw(bytes);
    } catch (err) {
      // The host is gone; the read loop below notices and unsubscribes.
      log.debug('log write to a closed connection dropped', { reason: (err as Error).message });
    }
  };
  const unsubscribe = device.log.subscribe((record) => {
    if (queuedBytes + record.length > MAX_QUEUED_BYTES) {
      dropped++;
      return;
    }
    queued.push(record);
    queuedBytes += record.length;
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  });
  log.debug('syslog client connected', { clients: device.log.listenerCount });
  try {
    // The host never sends anything on this service; reading only notices when it hangs up.
    while (await connection.channel.incoming.readSome(64 * 1024, 0)) {
      // Ignored, as a device ignores bytes on syslog_relay.
    }
  } finally {
    unsubscribe();
    log.debug('syslog client left', { dropped });
  }
}
