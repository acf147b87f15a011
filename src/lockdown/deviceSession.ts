import { PairingError, ServiceStartError, isLockdownError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { ServiceConnection } from '../transport/serviceConnection';
import { parsePairRecord, type PairRecord } from '../usbmux/pairRecord';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import type { UsbmuxDevice } from '../usbmux/usbmuxDevice';
import { deviceCertificateCheck } from './deviceCertificatePin';
import { LockdownClient } from './lockdownClient';
import type { ServiceProvider } from './serviceProvider';

/**
 * A paired device with an open lockdown session: reads values inside the session and starts
 * services. The lockdown connection stays open so several services can be started.
 */
export class DeviceSession implements ServiceProvider {
  private constructor(
    private readonly mux: UsbmuxClient,
    readonly device: UsbmuxDevice,
    readonly lockdown: LockdownClient,
    readonly pairRecord: PairRecord,
    private readonly logger: Logger,
  ) {}

  get udid(): string {
    return this.device.udid;
  }

  /** Opens a session with a device by UDID using the pair record usbmuxd holds. */
  static async open(mux: UsbmuxClient, udid: string, logger: Logger = silentLogger): Promise<DeviceSession> {
    const device = await mux.findDevice(udid);
    const log = logger.child(device.udid);
    const recordBytes = await mux.readPairRecord(device.udid);
    if (!recordBytes) {
      throw new PairingError(
        `This computer is not paired with ${device.udid}: run "iosbr pair ${device.udid}" and tap "Trust" on the device.`,
        'not-paired',
        device.udid,
      );
    }
    const record = parsePairRecord(recordBytes, device.udid);
    const lockdown = await LockdownClient.connect(mux, device, log.child('lockdown'));
    try {
      await lockdown.startSession(record);
    } catch (err) {
      lockdown.close();
      throw err;
    }
    log.debug('lockdown session started');
    return new DeviceSession(mux, device, lockdown, record, log);
  }

  async startService(name: string, options: { withEscrowBag?: boolean; maxFrameBytes?: number } = {}): Promise<ServiceConnection> {
    let started;
    try {
      started = await this.lockdown.startService(name, options.withEscrowBag ? this.pairRecord.escrowBag : undefined);
    } catch (err) {
      if (isLockdownError(err)) {
        throw new ServiceStartError(`The device did not start ${name}: ${err.message}`, name, err.lockdownCode);
      }
      throw err;
    }
    const socket = await this.mux.connect(this.device, started.port);
    const connection = new ServiceConnection(socket, name, { maxFrameBytes: options.maxFrameBytes });
    if (started.enableServiceSsl) {
      try {
        await connection.startTls({
          role: 'client',
          certificatePem: this.pairRecord.hostCertificate,
          privateKeyPem: this.pairRecord.hostPrivateKey,
          checkPeerCertificate: deviceCertificateCheck(this.pairRecord, this.udid),
          // Service connections keep TLS until they close (docs/protocol/lockdown.md).
          forLife: true,
        });
      } catch (err) {
        connection.close();
        throw err;
      }
    }
    this.logger.debug('service started', { service: name, port: started.port, ssl: started.enableServiceSsl });
    return connection;
  }

  /** Ends the session and closes the lockdown connection. */
  async close(): Promise<void> {
    try {
      await this.lockdown.stopSession();
      await this.lockdown.goodbye();
    } catch {
      // The device may already be gone; closing is all that is left to do.
    } finally {
      this.lockdown.close();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
