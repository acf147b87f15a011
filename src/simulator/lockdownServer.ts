import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from '../common/logger';
import { getData, getDict, getString, isPlistDict, type PlistDict, type PlistValue } from '../plist';
import { ServiceConnection } from '../transport/serviceConnection';
import { domainValues, rootValues } from './deviceValues';
import { DEVICE_SERVICES } from './deviceServices';
import type { TrustedHost } from './simulatorState';
import type { VirtualDevice } from './virtualDevice';

/** Lockdown requests from hosts are small; the cap protects the simulator from hostile clients. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/** Per-connection lockdownd state. */
interface LockdownConnectionState {
  sessionHost: TrustedHost | undefined;
  sessionId: string | undefined;
}

/** Serves lockdownd (device side) on one tunnelled connection until the host closes it. */
export function serveLockdown(device: VirtualDevice, socket: Socket): void {
  const log = device.logger.child('lockdownd');
  const connection = new ServiceConnection(socket, 'host', { maxFrameBytes: MAX_REQUEST_BYTES, timeoutMs: 0 });
  const state: LockdownConnectionState = { sessionHost: undefined, sessionId: undefined };
  void (async () => {
    try {
      for (;;) {
        const request = await connection.receivePlist(0);
        if (!isPlistDict(request)) {
          connection.sendPlist({ Error: 'InvalidResponse' });
          continue;
        }
        const name = getString(request, 'Request') ?? '';
        log.trace('← request', { Request: name });
        const reply = await handle(device, state, connection, request, name, log);
        if (reply === 'closed') return;
      }
    } catch (err) {
      log.debug('lockdown connection ended', { reason: (err as Error).message });
    } finally {
      connection.close();
    }
  })();
}

async function handle(
  device: VirtualDevice,
  state: LockdownConnectionState,
  connection: ServiceConnection,
  request: PlistDict,
  name: string,
  log: Logger,
): Promise<void | 'closed'> {
  const reply = (extra: PlistDict) => connection.sendPlist({ Request: name, ...extra });
  const error = (code: string) => {
    // Refusals are what a support engineer looks for in the device log; absent values are routine.
    if (code !== 'MissingValue') device.log.write('lockdownd', undefined, 'Error', `${name} refused: ${code}`);
    return reply({ Error: code });
  };
  switch (name) {
    case 'QueryType':
      return reply({ Type: 'com.apple.mobile.lockdown' });
    case 'GetValue': {
      const domain = getString(request, 'Domain');
      const key = getString(request, 'Key');
      const inSession = state.sessionHost !== undefined;
      let source: PlistDict | undefined;
      if (domain) {
        if (!inSession) return error('MissingValue');
        source = domainValues(device, domain);
      } else {
        source = rootValues(device, inSession);
      }
      if (!source) return error('MissingValue');
      if (!key) return reply({ ...(domain ? { Domain: domain } : {}), Value: source });
      const value: PlistValue | undefined = source[key];
      if (value === undefined) return error('MissingValue');
      return reply({ Key: key, Value: value, ...(domain ? { Domain: domain } : {}) });
    }
    case 'SetValue':
    case 'RemoveValue':
      if (!state.sessionHost) return error('SessionInactive');
      return error('SetProhibited');
    case 'StartSession': {
      if (state.sessionId) return error('SessionActive');
      const hostId = getString(request, 'HostID');
      const host = hostId ? device.trustedHosts.get(hostId) : undefined;
      if (!host) return error('InvalidHostID');
      state.sessionHost = host;
      state.sessionId = randomUUID().toUpperCase();
      reply({ SessionID: state.sessionId, EnableSessionSSL: true });
      await connection.startTls({ role: 'server', certificatePem: host.deviceCertificate, privateKeyPem: device.keys.privateKeyPem });
      log.debug('session started', { hostId: host.hostId });
      device.log.write('lockdownd', undefined, 'Notice', `Session started for host ${host.hostId} (TLS)`);
      return;
    }
    case 'StopSession': {
      if (!state.sessionId || getString(request, 'SessionID') !== state.sessionId) return error('InvalidSessionID');
      reply({ Result: 'Success' });
      state.sessionId = undefined;
      state.sessionHost = undefined;
      await connection.channel.stopTls(false);
      return;
    }
    case 'StartService': {
      if (!state.sessionHost) return error('InvalidHostID');
      const service = getString(request, 'Service') ?? '';
      const definition = DEVICE_SERVICES[service];
      if (!definition) return error('InvalidService');
      const host = state.sessionHost;
      const escrowBag = getData(request, 'EscrowBag');
      const port = device.openServicePort((socket) => {
        const conn = new ServiceConnection(socket, 'host', { maxFrameBytes: definition.maxFrameBytes, timeoutMs: 0 });
        void (async () => {
          try {
            if (definition.ssl) {
              await conn.startTls({ role: 'server', certificatePem: host.deviceCertificate, privateKeyPem: device.keys.privateKeyPem });
            }
            await definition.serve(conn, device, { escrowBag });
          } catch (err) {
            log.debug('service ended', { service, reason: (err as Error).message });
          } finally {
            conn.close();
          }
        })();
      });
      device.log.write('lockdownd', undefined, 'Notice', `Started service ${service} on port ${port}${definition.ssl ? ' (SSL)' : ''}`);
      return reply({ Service: service, Port: port, EnableServiceSSL: definition.ssl });
    }
    case 'ValidatePair':
    case 'Pair':
    case 'Unpair':
      return handlePairing(device, request, name, reply, error);
    case 'Goodbye':
      reply({ Result: 'Success' });
      return 'closed';
    default:
      return error('InvalidRequest');
  }
}

function handlePairing(
  device: VirtualDevice,
  request: PlistDict,
  name: string,
  reply: (extra: PlistDict) => void,
  error: (code: string) => void,
): void {
  const record = getDict(request, 'PairRecord');
  const hostId = record && getString(record, 'HostID');
  if (!record || !hostId) return error('InvalidPairRecord');
  if (name === 'ValidatePair') return device.trustedHosts.has(hostId) ? reply({}) : error('InvalidHostID');
  if (name === 'Unpair') {
    if (!device.forget(hostId)) return error('InvalidHostID');
    device.log.write('lockdownd', undefined, 'Notice', `Unpaired host ${hostId}`);
    return reply({});
  }
  const root = getData(record, 'RootCertificate');
  const hostCert = getData(record, 'HostCertificate');
  const deviceCert = getData(record, 'DeviceCertificate');
  if (!root || !hostCert || !deviceCert) return error('InvalidPairRecord');
  const trust = device.spec.trust;
  if (trust.response === 'locked') return error('PasswordProtected');
  if (trust.response === 'deny') return error('UserDeniedPairing');
  // The dialog stays up across connections until the simulated person answers.
  device.pairDialogShownAt ??= Date.now();
  if (Date.now() - device.pairDialogShownAt < trust.delayMs) return error('PairingDialogResponsePending');
  device.pairDialogShownAt = undefined;
  device.trust({ hostId, rootCertificate: root, hostCertificate: hostCert, deviceCertificate: deviceCert });
  device.log.write('lockdownd', undefined, 'Notice', `Paired with host ${hostId}`);
  reply({ EscrowBag: device.state.escrowBag(device.udid) });
}
