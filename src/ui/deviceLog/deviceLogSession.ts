import * as l10n from '@vscode/l10n';
import { DeviceSession } from '../../lockdown/deviceSession';
import type { Logger } from '../../common/logger';
import { DeviceLogView } from '../../deviceLog/deviceLogView';
import type { LogFilter } from '../../deviceLog/logFilter';
import { ThrottledFlush } from '../../deviceLog/throttledFlush';
import { isSyslogStreamEndedError, SyslogRelayService } from '../../services/syslog/syslogRelay';
import type { UsbmuxClient } from '../../usbmux/usbmuxClient';

/** How often the editor document is refreshed while lines stream in. */
const REFRESH_INTERVAL_MS = 250;

/** Where a stream stands. */
export type DeviceLogState = 'connecting' | 'streaming' | 'ended';

/**
 * One device's log streaming into one editor document: the syslog_relay connection feeds the
 * editor-side model (src/deviceLog/deviceLogView.ts), and changes reach the editor at most four times a
 * second. When the stream ends the document gets one closing line saying why.
 */
export class DeviceLogSession {
  readonly view = new DeviceLogView();
  private currentState: DeviceLogState = 'connecting';
  private relay: SyslogRelayService | undefined;
  private readonly refresh: ThrottledFlush;
  private name: string;

  /** `fallbackName` is shown until the device tells its own name. */
  constructor(
    readonly udid: string,
    fallbackName: string,
    private readonly onChange: () => void,
  ) {
    this.name = fallbackName;
    this.refresh = new ThrottledFlush(onChange, REFRESH_INTERVAL_MS);
  }

  /** The device's name (DeviceName from lockdownd once the session is open). */
  get deviceName(): string {
    return this.name;
  }

  get state(): DeviceLogState {
    return this.currentState;
  }

  /** Opens the device's lockdown session and syslog_relay; resolves once lines can flow. */
  async start(client: UsbmuxClient, logger: Logger): Promise<void> {
    const session = await DeviceSession.open(client, this.udid, logger);
    const relay = new SyslogRelayService(session);
    try {
      // The name only titles the document; a device that does not tell it keeps the fallback.
      const name = await session.lockdown.getValue(undefined, 'DeviceName').catch(() => undefined);
      if (typeof name === 'string' && name.trim()) this.name = name.trim();
      await relay.connect();
    } catch (err) {
      await session.close();
      throw err;
    }
    this.relay = relay;
    this.currentState = 'streaming';
    this.onChange();
    void this.pump(relay, session, logger);
  }

  /** Applies a filter to everything kept and to what arrives next. */
  setFilter(filter: LogFilter): void {
    this.view.setFilter(filter);
    this.refresh.flushNow();
  }

  /** Freezes the document; lines keep arriving into the history. */
  pause(): void {
    this.view.pause();
    this.refresh.flushNow();
  }

  /** Shows what arrived meanwhile and follows the stream again. */
  resume(): void {
    this.view.resume();
    this.refresh.flushNow();
  }

  /** Ends the stream (the document stays, with its closing line). */
  stop(): void {
    this.relay?.close();
  }

  /** Ends the stream and stops refreshing. */
  dispose(): void {
    this.stop();
    this.refresh.dispose();
  }

  private async pump(relay: SyslogRelayService, session: DeviceSession, logger: Logger): Promise<void> {
    let closing: string;
    try {
      for await (const batch of relay.batches()) {
        if (this.view.append(batch)) this.refresh.request();
      }
      closing = l10n.t('Log stream stopped.');
    } catch (err) {
      logger.info('device log stream ended', { udid: this.udid, reason: (err as Error).message });
      closing = isSyslogStreamEndedError(err)
        ? l10n.t({ message: 'The device {0} disconnected; its log stream ended.', args: [this.deviceName], comment: ['{0} is the device name'] })
        : l10n.t({ message: 'The log stream failed: {0}', args: [(err as Error).message], comment: ['{0} is the error message'] });
    } finally {
      await session.close();
    }
    this.currentState = 'ended';
    // The grammar shows "--- … ---" lines as notes, apart from the device's records.
    this.view.addNote(`--- ${closing} (${new Date().toLocaleTimeString()}) ---`);
    this.refresh.flushNow();
  }
}
