import { ProtocolError } from '../common/errors';
import type { ServiceProvider } from '../lockdown/serviceProvider';

/** How long the device may take to move its reports; idevicecrashreport allows about 20 s. */
const MOVE_TIMEOUT_MS = 20_000;

/**
 * com.apple.crashreportmover: starting it makes the device move its crash reports into the folder
 * com.apple.crashreportcopymobile serves; the device then sends the four bytes "ping".
 */
export class CrashReportMoverService {
  static readonly SERVICE_NAME = 'com.apple.crashreportmover';

  constructor(private readonly provider: ServiceProvider) {}

  /** Asks the device to move its crash reports and waits for its "ping". */
  async moveReports(timeoutMs = MOVE_TIMEOUT_MS): Promise<void> {
    const connection = await this.provider.startService(CrashReportMoverService.SERVICE_NAME);
    try {
      const reply = await connection.receiveRaw(4, timeoutMs);
      if (reply.toString('latin1') !== 'ping') {
        throw new ProtocolError('The crash report mover answered with something other than "ping".', CrashReportMoverService.SERVICE_NAME);
      }
    } finally {
      connection.close();
    }
  }
}
