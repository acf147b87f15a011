import type { Logger } from '../../common/logger';
import { getArray, getString, PlistReal, type PlistDict } from '../../plist';
import { buildProcessMessage } from '../../services/deviceLinkCodec';
import type { ServiceConnection } from '../../transport/serviceConnection';
import { deviceBackupProtection, type BackupProtectionFactory } from '../backup/backupProtection';
import { BackupSession } from '../backup/backupSession';
import { serveChangePassword } from '../backup/changePasswordRequest';
import { DeviceLinkSession } from '../backup/deviceLinkSession';
import { readLinkFaults } from '../backup/linkFaults';
import { MB_ERROR, mbErrorDescription, SimulatedConnectionDrop } from '../backup/mobileBackupErrors';
import { RestoreSession } from '../restore/restoreSession';
import type { VirtualDevice } from '../virtualDevice';

/** mobilebackup2 protocol versions the device speaks, best first. */
const DEVICE_PROTOCOL_VERSIONS = [2.1, 2.0] as const;

/** What a request handler gets. */
interface RequestContext {
  session: DeviceLinkSession;
  device: VirtualDevice;
  log: Logger;
  protectionFactory: BackupProtectionFactory;
}

/** One mobilebackup2 request (the MessageName of a DLMessageProcessMessage from the host). */
type RequestHandler = (request: PlistDict, context: RequestContext) => Promise<void>;

/** The requests this device serves; others are answered with an error Response. */
const REQUEST_HANDLERS: Record<string, RequestHandler> = {
  Hello: async (request, { session, log }) => {
    const offered = (getArray(request, 'SupportedProtocolVersions') ?? [])
      .map((v) => (v instanceof PlistReal ? v.value : v))
      .filter((v): v is number => typeof v === 'number');
    const version = DEVICE_PROTOCOL_VERSIONS.find((v) => offered.some((o) => Math.abs(o - v) < 1e-9));
    if (version === undefined) {
      log.warn('No common mobilebackup2 protocol version', { offered: offered.slice(0, 8).join(',') });
      session.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: MB_ERROR.Generic }));
      return;
    }
    log.debug('mobilebackup2 protocol version agreed', { version });
    session.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: 0, ProtocolVersion: new PlistReal(version) }));
  },
  Backup: async (request, { session, device, protectionFactory }) => {
    session.beginOperation('backup');
    await new BackupSession(session, device, protectionFactory).run(request);
  },
  ChangePassword: serveChangePassword,
  Restore: async (request, { session, device }) => {
    session.beginOperation('restore');
    await new RestoreSession(session, device).run(request);
  },
};

/**
 * com.apple.mobilebackup2, device side: the DeviceLink handshake (300.0, DLMessageDeviceReady),
 * then mobilebackup2 requests until the host sends DLMessageDisconnect or closes the connection.
 */
export async function serveMobileBackup2(connection: ServiceConnection, device: VirtualDevice, protectionFactory: BackupProtectionFactory = deviceBackupProtection): Promise<void> {
  const log = device.logger.child('mobilebackup2');
  const session = new DeviceLinkSession(connection, log, readLinkFaults(device.spec.faults, log));
  await session.handshake();
  for (;;) {
    const message = await session.receive(0);
    if (message.name === 'DLMessageDisconnect') {
      log.debug('host disconnected', { reason: message.reason });
      return;
    }
    if (message.name === 'DLMessagePing') continue;
    if (message.name !== 'DLMessageProcessMessage') {
      log.warn('unexpected DeviceLink message outside a request; ignored', { name: message.name });
      continue;
    }
    const name = getString(message.content, 'MessageName') ?? '';
    const handler = Object.hasOwn(REQUEST_HANDLERS, name) ? REQUEST_HANDLERS[name] : undefined;
    log.debug('mobilebackup2 request', { name: name.slice(0, 64) });
    if (!handler) {
      session.send(buildProcessMessage({ MessageName: 'Response', ErrorCode: MB_ERROR.Generic, ErrorDescription: mbErrorDescription(`Unsupported request ${name.slice(0, 64)}`, MB_ERROR.Generic) }));
      continue;
    }
    try {
      await handler(message.content, { session, device, log, protectionFactory });
    } catch (err) {
      // A pulled cable loses only what comes after it: what was sent before still reaches the host.
      if (err instanceof SimulatedConnectionDrop) await session.flushed();
      throw err;
    } finally {
      session.beginOperation(undefined);
    }
  }
}
