import * as os from 'node:os';
import { type CancellationTokenLike, neverCancelled, throwIfCancelled } from '../common/cancellation';
import { CancelledError, PairingError, isPairingError, ProtocolError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { encodePairRecord, parsePairRecord, type PairRecord } from '../usbmux/pairRecord';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import { LockdownClient, newHostId } from './lockdownClient';
import { createPairingCertificates } from './pairingCertificates';

/** How pairing waits for the person at the device. */
export interface PairOptions {
  /** How long to wait for "Trust" to be tapped (default 60 s). */
  trustTimeoutMs?: number;
  /** How often to ask again while the dialog is up (default 1 s, as pymobiledevice3 does). */
  pollIntervalMs?: number;
  /** Called once when the device shows the Trust dialog. */
  onWaitingForTrust?: () => void;
  hostName?: string;
  logger?: Logger;
  /**
   * Cancelling stops the pairing at once with a CancelledError and closes its connection to lockdownd, so nothing
   * is left waiting for "Trust" behind the caller's back (a bench row cancelled while the dialog is up).
   */
  token?: CancellationTokenLike;
}

const OPERATION = 'Pairing';

/**
 * Pairs this host with a device: generates certificates for the device's public key, sends Pair
 * (repeating while the Trust dialog is up, bounded), stores the record with usbmuxd.
 */
export async function pairDevice(mux: UsbmuxClient, udid: string, options: PairOptions = {}): Promise<PairRecord> {
  const logger = (options.logger ?? silentLogger).child('pair');
  const token = options.token ?? neverCancelled;
  throwIfCancelled(token, OPERATION);
  const device = await mux.findDevice(udid);
  const lockdown = await LockdownClient.connect(mux, device, logger);
  // Cancelling closes the connection (a request in flight fails at once) and ends the pause between two asks.
  let wake: (() => void) | undefined;
  const cancelled = token.onCancellationRequested(() => {
    lockdown.close();
    wake?.();
  });
  try {
    throwIfCancelled(token, OPERATION);
    return await pairOverConnection(mux, lockdown, options, token, (resolve) => (wake = resolve), logger);
  } catch (err) {
    // Whatever the closed connection made of the request in flight, the cause is the cancellation.
    if (token.isCancellationRequested) throw new CancelledError(OPERATION);
    throw err;
  } finally {
    cancelled.dispose();
    lockdown.close();
  }
}

/** The pairing itself on an open lockdownd connection: certificates, Pair asked again while the Trust dialog is up (bounded), the record stored. */
async function pairOverConnection(
  mux: UsbmuxClient,
  lockdown: LockdownClient,
  options: PairOptions,
  token: CancellationTokenLike,
  onPause: (wake: () => void) => void,
  logger: Logger,
): Promise<PairRecord> {
  const device = lockdown.device;
  const publicKey = await lockdown.getValue(undefined, 'DevicePublicKey');
  if (!Buffer.isBuffer(publicKey)) throw new ProtocolError('The device did not give its public key for pairing.', 'lockdownd');
  const productVersion = await lockdown.getValue(undefined, 'ProductVersion');
  // Read before Pair: libimobiledevice notes that afterwards it fails on some iOS versions.
  const wifi = await lockdown.getValue(undefined, 'WiFiAddress');
  const certs = createPairingCertificates(publicKey, typeof productVersion === 'string' ? productVersion : undefined);
  const record: PairRecord = {
    ...certs,
    hostId: newHostId(),
    systemBuid: await mux.readBuid(),
    wifiMacAddress: typeof wifi === 'string' ? wifi : undefined,
  };
  const deadline = Date.now() + (options.trustTimeoutMs ?? 60_000);
  let announced = false;
  for (;;) {
    try {
      record.escrowBag = await lockdown.pair(record, options.hostName ?? os.hostname());
      break;
    } catch (err) {
      if (!isPairingError(err) || err.code !== 'pairing.PairingDialogResponsePending') throw err;
      if (!announced) {
        announced = true;
        options.onWaitingForTrust?.();
        logger.info('waiting for Trust on the device', { udid: device.udid });
      }
      if (Date.now() >= deadline) {
        throw new PairingError(
          `Nobody tapped "Trust" on ${device.udid} within ${Math.round((options.trustTimeoutMs ?? 60_000) / 1000)} s: unlock the device, tap "Trust" and run pair again.`,
          'trust-timeout',
          device.udid,
        );
      }
      throwIfCancelled(token, OPERATION);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollIntervalMs ?? 1000);
        onPause(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      throwIfCancelled(token, OPERATION);
    }
  }
  await mux.savePairRecord(device.udid, encodePairRecord(record), device.deviceId);
  logger.info('paired', { udid: device.udid });
  return record;
}

/** Removes the pairing: the device forgets this host (when reachable) and usbmuxd drops the record. */
export async function unpairDevice(mux: UsbmuxClient, udid: string, logger: Logger = silentLogger): Promise<{ wasPaired: boolean }> {
  const device = await mux.findDevice(udid);
  const bytes = await mux.readPairRecord(device.udid);
  if (!bytes) return { wasPaired: false };
  const record = parsePairRecord(bytes, device.udid);
  const lockdown = await LockdownClient.connect(mux, device, logger.child('unpair'));
  try {
    await lockdown.unpair(record);
  } catch (err) {
    // A device that already forgot us still needs the local record removed.
    if (!isPairingError(err)) throw err;
  } finally {
    lockdown.close();
  }
  await mux.deletePairRecord(device.udid);
  return { wasPaired: true };
}

/** Checks the stored pairing with ValidatePair and a session start (what "trusted" means in practice). */
export async function validatePairing(mux: UsbmuxClient, udid: string, logger: Logger = silentLogger): Promise<boolean> {
  const device = await mux.findDevice(udid);
  const bytes = await mux.readPairRecord(device.udid);
  if (!bytes) return false;
  const record = parsePairRecord(bytes, device.udid);
  const lockdown = await LockdownClient.connect(mux, device, logger.child('validate'));
  try {
    await lockdown.validatePair(record);
    await lockdown.startSession(record);
    await lockdown.stopSession();
    return true;
  } catch (err) {
    if (isPairingError(err)) return false;
    throw err;
  } finally {
    lockdown.close();
  }
}
