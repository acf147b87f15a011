import type { DeviceFacts } from '../device/deviceFacts';
import { readDeviceFacts } from '../device/readDeviceFacts';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { DeviceSession } from '../lockdown/deviceSession';
import { getInteger, isPlistDict } from '../plist';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import type { TargetPreflightFacts } from './restorePreflightFacts';

/** The lockdown domain that reports the device's storage. */
export const DISK_USAGE_DOMAIN = 'com.apple.disk_usage';

/** Reads the device facts; readDeviceFacts unless a test swaps it. */
export type DeviceFactsReader = (mux: UsbmuxClient, udid: string, logger: Logger) => Promise<DeviceFacts>;

/**
 * Reads what the restore checks need from the target device, read-only: the device facts (pairing,
 * lock, Find My, iOS version, supervision), its free space (com.apple.disk_usage
 * AmountDataAvailable, else TotalDataAvailable) and its ActivationState. Values the device does not
 * give stay undefined; only a device that cannot be reached at all throws.
 */
export async function readTargetPreflightFacts(
  mux: UsbmuxClient,
  udid: string,
  logger: Logger = silentLogger,
  readFacts: DeviceFactsReader = readDeviceFacts,
): Promise<TargetPreflightFacts> {
  const device = await readFacts(mux, udid, logger);
  const facts: TargetPreflightFacts = { device };
  if (!device.paired) return facts;
  let session: DeviceSession | undefined;
  try {
    session = await DeviceSession.open(mux, device.udid, logger);
    const usage = await session.lockdown.getValue(DISK_USAGE_DOMAIN);
    if (isPlistDict(usage)) {
      const free = getInteger(usage, 'AmountDataAvailable') ?? getInteger(usage, 'TotalDataAvailable');
      if (free !== undefined && free >= 0) facts.freeBytes = free;
    }
    const activation = await session.lockdown.getValue(undefined, 'ActivationState');
    if (typeof activation === 'string') facts.activationState = activation;
  } catch (err) {
    // The checks report what stayed unknown; a refused value must not hide the ones that were read.
    logger.debug('restore target values unavailable', { udid: device.udid, reason: (err as Error).message });
  } finally {
    await session?.close();
  }
  return facts;
}
