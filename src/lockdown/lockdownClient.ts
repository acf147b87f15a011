import { randomUUID } from 'node:crypto';
import { LockdownError, ProtocolError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { getBoolean, getData, getInteger, getString, isPlistDict, type PlistDict, type PlistValue } from '../plist';
import { ServiceConnection } from '../transport/serviceConnection';
import type { PairRecord } from '../usbmux/pairRecord';
import { pairRecordForDevice } from '../usbmux/pairRecord';
import { LOCKDOWN_PORT } from '../usbmux/protocol';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import type { UsbmuxDevice } from '../usbmux/usbmuxDevice';
import { deviceCertificateCheck } from './deviceCertificatePin';
import { lockdownErrorFor } from './lockdownErrors';

/** lockdownd's answer to StartService. */
export interface StartedService {
  service: string;
  port: number;
  enableServiceSsl: boolean;
}

/** The label lockdownd sees for our requests. */
export const LOCKDOWN_LABEL = 'iosbr';

/** Lockdown frames are small (values, pair records); anything beyond this is hostile. */
const LOCKDOWN_MAX_FRAME = 4 * 1024 * 1024;

/** A lockdownd request: always named by its Request key, which the answer echoes and errors name. */
type LockdownRequest = PlistDict & { Request: string };

/** Keys never written to a trace line. */
const SECRET_KEYS = new Set(['PairRecord', 'EscrowBag', 'HostPrivateKey', 'RootPrivateKey', 'Value']);

/**
 * A client for lockdownd (port 62078): one method per request, errors mapped through one table.
 * Holds one connection; TLS is switched on by startSession and off by stopSession.
 */
export class LockdownClient {
  private sessionId: string | undefined;

  private constructor(
    private readonly connection: ServiceConnection,
    readonly device: UsbmuxDevice,
    private readonly logger: Logger,
  ) {}

  /** Connects to lockdownd on the device and checks it answers QueryType as lockdownd. */
  static async connect(mux: UsbmuxClient, device: UsbmuxDevice, logger: Logger = silentLogger): Promise<LockdownClient> {
    const socket = await mux.connect(device, LOCKDOWN_PORT);
    const client = new LockdownClient(new ServiceConnection(socket, 'lockdownd', { maxFrameBytes: LOCKDOWN_MAX_FRAME }), device, logger);
    try {
      const type = await client.queryType();
      if (type !== 'com.apple.mobile.lockdown') {
        throw new LockdownError(
          type === 'com.apple.mobile.restored'
            ? 'The device is in restore mode, not running iOS: finish or cancel the restore first.'
            : `The device answered as "${type}" instead of lockdownd.`,
          'UnexpectedType',
          'QueryType',
          device.udid,
        );
      }
      return client;
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /** True while a session (and TLS) is active. */
  get inSession(): boolean {
    return this.sessionId !== undefined;
  }

  /** QueryType: which daemon answers (lockdownd in normal mode). */
  async queryType(): Promise<string> {
    const reply = await this.request({ Request: 'QueryType' });
    return getString(reply, 'Type') ?? '';
  }

  /** GetValue with optional domain and key; undefined when the device has no such value. */
  async getValue(domain?: string, key?: string): Promise<PlistValue | undefined> {
    const req: LockdownRequest = { Request: 'GetValue' };
    if (domain) req.Domain = domain;
    if (key) req.Key = key;
    try {
      const reply = await this.request(req);
      return reply.Value;
    } catch (err) {
      if (err instanceof LockdownError && err.lockdownCode === 'MissingValue') return undefined;
      throw err;
    }
  }

  /** SetValue (needs a session). */
  async setValue(domain: string | undefined, key: string, value: PlistValue): Promise<void> {
    const req: LockdownRequest = { Request: 'SetValue', Key: key, Value: value };
    if (domain) req.Domain = domain;
    await this.request(req);
  }

  /** RemoveValue (needs a session). */
  async removeValue(domain: string | undefined, key: string): Promise<void> {
    const req: LockdownRequest = { Request: 'RemoveValue', Key: key };
    if (domain) req.Domain = domain;
    await this.request(req);
  }

  /** StartSession with the pair record, then TLS on the same stream when the device asks for it. */
  async startSession(record: PairRecord): Promise<void> {
    const reply = await this.request({ Request: 'StartSession', HostID: record.hostId, SystemBUID: record.systemBuid });
    const sessionId = getString(reply, 'SessionID');
    if (!sessionId) throw new ProtocolError('lockdownd started a session without a SessionID.', 'lockdownd');
    this.sessionId = sessionId;
    if (getBoolean(reply, 'EnableSessionSSL')) {
      await this.connection.startTls({
        role: 'client',
        certificatePem: record.hostCertificate,
        privateKeyPem: record.hostPrivateKey,
        checkPeerCertificate: deviceCertificateCheck(record, this.device.udid),
      });
      this.logger.debug('session TLS established');
    }
  }

  /** StopSession, then back to plaintext on the same stream. */
  async stopSession(): Promise<void> {
    if (!this.sessionId) return;
    const sessionId = this.sessionId;
    await this.request({ Request: 'StopSession', SessionID: sessionId });
    this.sessionId = undefined;
    if (this.connection.channel.isTls) await this.connection.channel.stopTls(true);
  }

  /** StartService: the port (and whether it wants TLS) of a device service; EscrowBag for mobilebackup2. */
  async startService(service: string, escrowBag?: Buffer): Promise<StartedService> {
    const req: LockdownRequest = { Request: 'StartService', Service: service };
    if (escrowBag) req.EscrowBag = escrowBag;
    const reply = await this.request(req);
    const port = getInteger(reply, 'Port');
    if (port === undefined || port < 1 || port > 65535) throw new ProtocolError(`lockdownd started ${service} without a valid port.`, 'lockdownd');
    return { service, port, enableServiceSsl: getBoolean(reply, 'EnableServiceSSL') === true };
  }

  /** Pair: sends the new record; returns the device's EscrowBag. Errors include PairingDialogResponsePending. */
  async pair(record: PairRecord, hostName: string): Promise<Buffer | undefined> {
    const reply = await this.request({
      Request: 'Pair',
      PairRecord: pairRecordForDevice(record),
      ProtocolVersion: '2',
      PairingOptions: { ExtendedPairingErrors: true },
      HostName: hostName,
    });
    return getData(reply, 'EscrowBag');
  }

  /** ValidatePair: asks whether the device still accepts this record. */
  async validatePair(record: PairRecord): Promise<void> {
    await this.request({ Request: 'ValidatePair', PairRecord: pairRecordForDevice(record), ProtocolVersion: '2' });
  }

  /** Unpair: the device forgets this host. */
  async unpair(record: PairRecord): Promise<void> {
    // Some firmware echoes "ValidatePair" here, so the request name is not checked.
    await this.request({ Request: 'Unpair', PairRecord: { HostID: record.hostId }, ProtocolVersion: '2' }, false);
  }

  /** Goodbye: a polite end of the conversation. */
  async goodbye(): Promise<void> {
    await this.request({ Request: 'Goodbye' }, false).catch(() => undefined);
  }

  /** Closes the connection (no further requests). */
  close(): void {
    this.connection.close();
  }

  private async request(req: LockdownRequest, checkEcho = true): Promise<PlistDict> {
    const name = req.Request;
    this.connection.sendPlist({ Label: LOCKDOWN_LABEL, ...req });
    this.logger.trace('→ lockdownd', traceFields(req));
    const reply = await this.connection.receivePlist();
    if (!isPlistDict(reply)) throw new ProtocolError(`lockdownd answered ${name} with something other than a dictionary.`, 'lockdownd');
    const error = getString(reply, 'Error');
    this.logger.trace('← lockdownd', { Request: name, ...traceFields(reply), error });
    if (error) throw lockdownErrorFor(error, name, this.device.udid);
    if (getString(reply, 'Result') === 'Failure') throw lockdownErrorFor('Failure', name, this.device.udid);
    if (checkEcho && getString(reply, 'Request') !== undefined && getString(reply, 'Request') !== name) {
      throw new ProtocolError(`lockdownd answered ${name} with a reply to ${getString(reply, 'Request')}.`, 'lockdownd');
    }
    return reply;
  }
}

/** Trace fields of a lockdown message: keys and scalar values, with secrets and bulky values left out. */
function traceFields(message: PlistDict): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(message)) {
    if (SECRET_KEYS.has(key)) fields[key] = '…';
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return fields;
}

/** A new HostID as libimobiledevice makes it: an upper-case random UUID. */
export function newHostId(): string {
  return randomUUID().toUpperCase();
}
