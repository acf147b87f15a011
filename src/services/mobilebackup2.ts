import { BackupError, ProtocolError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { ServiceProvider } from '../lockdown/serviceProvider';
import { PlistReal, getInteger, getString, type PlistDict, type PlistValue } from '../plist';
import { DeviceLink, type DeviceLinkOptions } from './deviceLink';

/** The mobilebackup2 protocol versions this host speaks (every known host offers exactly these). */
export const MOBILEBACKUP2_SUPPORTED_VERSIONS = [2.0, 2.1] as const;

/** The largest DeviceLink message accepted from the device (a MoveItems of a big backup is a few MiB). */
const MOBILEBACKUP2_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Options of a Backup request. */
export interface BackupRequestOptions {
  /** UDID of the device being backed up. */
  targetIdentifier: string;
  /** UDID whose backup folder the device should use (the target's own by default). */
  sourceIdentifier?: string;
  /** Ask the device for a full backup instead of an incremental one. */
  forceFullBackup?: boolean;
}

/**
 * Options of a Restore request, in plain words. Every switch is always sent: a device treats an
 * absent RestoreShouldReboot, RestoreSystemFiles or RemoveItemsNotRestored as true.
 */
export interface RestoreRequestOptions {
  /** UDID of the device being restored. */
  targetIdentifier: string;
  /** UDID whose backup folder the device reads (the backup's own device; differs for a restore to another device). */
  sourceIdentifier: string;
  /** Restart the device when the restore is done (RestoreShouldReboot). */
  reboot: boolean;
  /** Restore system files too (RestoreSystemFiles). */
  restoreSystemFiles: boolean;
  /** Keep the device's current settings instead of the backup's (RestorePreserveSettings). */
  preserveSettings: boolean;
  /** Let the device copy the backup before restoring instead of moving it into place (RestoreDontCopyBackup = false). */
  copyFirst: boolean;
  /** Remove items on the device that the backup does not contain (RemoveItemsNotRestored). */
  removeItemsNotRestored: boolean;
  /** Password of an encrypted backup. */
  password?: string;
}

/** The device's final answer to an operation (docs/protocol/mobilebackup2.md#final-result). */
export interface Mobilebackup2Result {
  errorCode: number;
  errorDescription?: string;
  content?: string;
}

/**
 * com.apple.mobilebackup2: opens the service with the escrow bag, runs the DeviceLink handshake
 * and the Hello version exchange, and sends requests. The request loop runs on `link`.
 */
export class Mobilebackup2Service {
  static readonly SERVICE_NAME = 'com.apple.mobilebackup2';

  private deviceLink: DeviceLink | undefined;
  private negotiated: number | undefined;

  constructor(
    private readonly provider: ServiceProvider,
    private readonly options: Omit<DeviceLinkOptions, 'logger'> & { logger?: Logger } = {},
  ) {}

  /** The DeviceLink session, once connected. */
  get link(): DeviceLink {
    if (!this.deviceLink) throw new Error('Mobilebackup2Service.connect() must be called first.');
    return this.deviceLink;
  }

  /** The protocol version the device agreed to in Hello. */
  get protocolVersion(): number | undefined {
    return this.negotiated;
  }

  /** Starts the service, runs the DeviceLink handshake and Hello; returns the negotiated version. */
  async connect(): Promise<number> {
    const connection = await this.provider.startService(Mobilebackup2Service.SERVICE_NAME, {
      withEscrowBag: true,
      maxFrameBytes: MOBILEBACKUP2_MAX_FRAME_BYTES,
    });
    const link = new DeviceLink(connection, { ...this.options, logger: (this.options.logger ?? silentLogger).child('mobilebackup2') });
    this.deviceLink = link;
    try {
      await link.exchangeVersions();
      link.sendProcessMessage({
        MessageName: 'Hello',
        SupportedProtocolVersions: MOBILEBACKUP2_SUPPORTED_VERSIONS.map((v) => new PlistReal(v)),
      });
      const reply = await link.receiveProcessMessage();
      this.negotiated = parseHelloReply(reply);
      return this.negotiated;
    } catch (err) {
      link.close();
      throw err;
    }
  }

  /** Sends the Backup request; the device then drives the DeviceLink request loop. */
  requestBackup(request: BackupRequestOptions): void {
    const message: PlistDict = {
      MessageName: 'Backup',
      TargetIdentifier: request.targetIdentifier,
      SourceIdentifier: request.sourceIdentifier ?? request.targetIdentifier,
    };
    if (request.forceFullBackup) message.Options = { ForceFullBackup: true };
    this.link.sendProcessMessage(message);
  }

  /** Sends the Restore request; the device then pulls the backup through the DeviceLink request loop. */
  requestRestore(request: RestoreRequestOptions): void {
    this.link.sendProcessMessage(buildRestoreRequest(request));
  }

  /** Says goodbye to the device and closes the connection (safe to call more than once). */
  close(): void {
    this.deviceLink?.disconnect();
  }
}

/** The ProcessMessage content of a Restore request (docs/protocol/mobilebackup2.md#requests); the password goes only into Options. */
export function buildRestoreRequest(request: RestoreRequestOptions): PlistDict {
  const options: PlistDict = {
    RestoreShouldReboot: request.reboot,
    RestoreSystemFiles: request.restoreSystemFiles,
    RestorePreserveSettings: request.preserveSettings,
    RestoreDontCopyBackup: !request.copyFirst,
    RemoveItemsNotRestored: request.removeItemsNotRestored,
  };
  if (request.password !== undefined) options.Password = request.password;
  return {
    MessageName: 'Restore',
    TargetIdentifier: request.targetIdentifier,
    SourceIdentifier: request.sourceIdentifier,
    Options: options,
  };
}

/** Reads the Hello reply: ErrorCode 0 and a ProtocolVersion, else a clear error. */
export function parseHelloReply(reply: PlistDict): number {
  const code = getInteger(reply, 'ErrorCode');
  if (code === undefined) throw new ProtocolError('The device answered Hello without an error code.', Mobilebackup2Service.SERVICE_NAME);
  if (code === 1) {
    throw new BackupError('The device does not speak any mobilebackup2 protocol version this tool supports (2.0 or 2.1).', 'backup.protocol-version', code);
  }
  if (code !== 0) {
    throw new BackupError(`The device refused the backup protocol handshake with error ${code}.`, 'backup.hello-refused', code);
  }
  const version: PlistValue | undefined = reply.ProtocolVersion;
  if (typeof version !== 'number') throw new ProtocolError('The device answered Hello without a protocol version.', Mobilebackup2Service.SERVICE_NAME);
  return version;
}

/** Reads a final ProcessMessage content (`{MessageName: "Response", ErrorCode, …}`). */
export function parseFinalResult(content: PlistDict): Mobilebackup2Result {
  const errorCode = getInteger(content, 'ErrorCode');
  if (errorCode === undefined) throw new ProtocolError('The device ended the operation with a result that has no error code.', Mobilebackup2Service.SERVICE_NAME);
  const result: Mobilebackup2Result = { errorCode };
  const description = getString(content, 'ErrorDescription');
  if (description !== undefined) result.errorDescription = description;
  const body = getString(content, 'Content');
  if (body !== undefined) result.content = body;
  return result;
}
