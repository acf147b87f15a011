import { isPairingError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { DeviceSession } from '../lockdown/deviceSession';
import { LockdownClient } from '../lockdown/lockdownClient';
import { marketingName } from '../lockdown/productNames';
import { getBoolean, getString, isPlistDict, type PlistValue } from '../plist';
import { MobileConfigService } from '../services/mobileConfig';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import type { DeviceFacts } from './deviceFacts';

/** The lockdown domain of Setup Assistant ("Buddy"): SetupDone says whether the setup screens are finished. */
export const SETUP_DOMAIN = 'com.apple.purplebuddy';

const asString = (v: PlistValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const asBool = (v: PlistValue | undefined): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

/**
 * Reads the facts the product needs about a device. Inside a paired session it reads everything;
 * without pairing it reads what lockdownd gives before a session and says so in `limitation`.
 */
export async function readDeviceFacts(mux: UsbmuxClient, udid: string, logger: Logger = silentLogger): Promise<DeviceFacts> {
  const device = await mux.findDevice(udid);
  let session: DeviceSession;
  try {
    session = await DeviceSession.open(mux, device.udid, logger);
  } catch (err) {
    if (!isPairingError(err)) throw err;
    const lockdown = await LockdownClient.connect(mux, device, logger);
    try {
      const values = await lockdown.getValue();
      const root = isPlistDict(values) ? values : {};
      return { ...rootFacts(device.udid, device.connectionType, root), paired: false, limitation: err.message };
    } finally {
      lockdown.close();
    }
  }
  try {
    const all = await session.lockdown.getValue();
    const root = isPlistDict(all) ? all : {};
    const facts: DeviceFacts = { ...rootFacts(device.udid, device.connectionType, root), paired: true };
    facts.backupEncryption = asBool(await session.lockdown.getValue('com.apple.mobile.backup', 'WillEncrypt')) ?? false;
    facts.findMy = asBool(await session.lockdown.getValue('com.apple.fmip', 'IsAssociated'));
    facts.passcodeLocked = asBool(root.PasswordProtected);
    const setupDone = asBool(await session.lockdown.getValue(SETUP_DOMAIN, 'SetupDone'));
    if (setupDone !== undefined) facts.setupDone = setupDone;
    const chaperoned = asBool(await session.lockdown.getValue('com.apple.mobile.chaperone', 'DeviceIsChaperoned'));
    try {
      const cloud = await new MobileConfigService(session).getCloudConfiguration();
      facts.supervised = getBoolean(cloud, 'IsSupervised') ?? chaperoned ?? false;
      // ADE enrolment leaves the MDM server's URL in the cloud configuration.
      facts.mdm = getString(cloud, 'ConfigurationURL') ? 'enrolled' : 'none';
      facts.organizationName = getString(cloud, 'OrganizationName');
    } catch (err) {
      facts.supervised = chaperoned;
      facts.limitation = `MDM state unknown: ${(err as Error).message}`;
      logger.debug('MCInstall unavailable', { udid: device.udid });
    }
    return facts;
  } finally {
    await session.close();
  }
}

function rootFacts(udid: string, connectionType: 'USB' | 'Network', root: Record<string, PlistValue>): Omit<DeviceFacts, 'paired'> {
  const productType = asString(root.ProductType);
  return {
    udid,
    connectionType,
    name: asString(root.DeviceName),
    deviceClass: asString(root.DeviceClass),
    productType,
    marketingName: productType ? marketingName(productType) : undefined,
    iosVersion: asString(root.ProductVersion),
    buildVersion: asString(root.BuildVersion),
    serialNumber: asString(root.SerialNumber),
  };
}

