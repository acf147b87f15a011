import { DeviceToolError, errorGuard } from '../../common/errors';
import type { ServiceProvider } from '../../lockdown/serviceProvider';
import { parseSyslogRecord } from './parseSyslogRecord';
import type { DeviceLogEntry } from './syslogRecord';
import { DEFAULT_MAX_RECORD_BYTES, SyslogRecordFramer } from './syslogRecordFramer';
import type { ServiceConnection } from '../../transport/serviceConnection';

/**
 * Most bytes taken from the connection per read. Large, because one read concatenates whatever is
 * buffered: a fast stream is then handled in a few big steps instead of many small ones.
 */
const READ_BYTES = 1024 * 1024;

/** The device's log stream ended without the host closing it: the device was unplugged, rebooted or stopped relaying. */
export class SyslogStreamEndedError extends DeviceToolError {
  constructor(readonly udid: string) {
    super(`The device ${udid} disconnected; its log stream ended.`, 'syslog.stream-ended');
    this.name = 'SyslogStreamEndedError';
  }
}

/** True when the error is a SyslogStreamEndedError. */
export const isSyslogStreamEndedError = errorGuard(SyslogStreamEndedError);

/**
 * com.apple.syslog_relay: the device's live log (docs/protocol/syslog-relay.md#the-stream). After the service starts the host
 * sends nothing; the device streams NUL-terminated, vis-encoded records, which this service frames
 * (bounded per record), decodes and parses. Iterating yields entries until `close()`; if the device
 * ends the stream instead, iteration throws SyslogStreamEndedError.
 */
export class SyslogRelayService implements AsyncIterable<DeviceLogEntry> {
  static readonly SERVICE_NAME = 'com.apple.syslog_relay';

  private connection: ServiceConnection | undefined;
  private closedByHost = false;

  constructor(
    private readonly provider: ServiceProvider,
    private readonly options: { maxRecordBytes?: number } = {},
  ) {}

  /** Starts the service on the device. */
  async connect(): Promise<void> {
    this.connection ??= await this.provider.startService(SyslogRelayService.SERVICE_NAME);
  }

  /** The entries in the batches they arrived in: the cheap way to consume a fast stream. */
  async *batches(): AsyncGenerator<DeviceLogEntry[], void, undefined> {
    const connection = this.connection;
    if (!connection) throw new Error('SyslogRelayService.connect() must be called first.');
    const framer = new SyslogRecordFramer(this.options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
    for (;;) {
      const chunk = await connection.channel.incoming.readSome(READ_BYTES, 0);
      if (!chunk) break;
      const records = framer.push(chunk);
      if (records.length) yield records.map(parseSyslogRecord);
    }
    if (this.closedByHost) return;
    const unfinished = framer.finish();
    if (unfinished) yield [parseSyslogRecord(unfinished)];
    throw new SyslogStreamEndedError(this.provider.udid);
  }

  /** The entries one by one. */
  async *[Symbol.asyncIterator](): AsyncGenerator<DeviceLogEntry, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** Stops the stream; iteration then ends quietly. */
  close(): void {
    this.closedByHost = true;
    this.connection?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
