import { randomBytes } from 'node:crypto';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import type { ServiceProvider } from '../../lockdown/serviceProvider';
import { getData, getString, isPlistDict, setPlistEntry, type PlistDict, type PlistValue } from '../../plist';
import { InstallationProxyService } from '../../services/installationProxy';
import type { InfoPlist } from '../format/infoPlist';

/** Reads lockdown values; DeviceSession's LockdownClient satisfies it. */
export interface LockdownValueReader {
  getValue(domain?: string, key?: string): Promise<PlistValue | undefined>;
}

/** What Info.plist is built from: lockdown values and the installed user apps. */
export interface InfoPlistSources {
  /** The root lockdown domain (GetValue without domain and key). */
  lockdownValues: PlistDict;
  /** The com.apple.iTunes domain, when the device has it. */
  iTunesSettings?: PlistDict;
  /** com.apple.mobile.iTunes MinITunesVersion, when the device has it. */
  minITunesVersion?: string;
  /** User apps from installation_proxy Browse. */
  apps: PlistDict[];
}

/** The iTunes version hosts write when the device names none (iPadOS may lack it). */
const DEFAULT_ITUNES_VERSION = '10.0.1';

/** The installation_proxy attributes Info.plist needs. */
const APP_ATTRIBUTES = ['CFBundleIdentifier', 'ApplicationSINF', 'iTunesMetadata'] as const;

/**
 * Reads everything Info.plist needs from the device. The app list is optional: a device whose
 * installation_proxy refuses still gets a backup, with an empty Applications dictionary.
 */
export async function gatherInfoPlistSources(lockdown: LockdownValueReader, provider: ServiceProvider, logger: Logger = silentLogger): Promise<InfoPlistSources> {
  const root = await lockdown.getValue();
  const iTunes = await lockdown.getValue('com.apple.iTunes');
  const minVersion = await lockdown.getValue('com.apple.mobile.iTunes', 'MinITunesVersion');
  let apps: PlistDict[] = [];
  try {
    apps = await new InstallationProxyService(provider).browse({ applicationType: 'User', returnAttributes: APP_ATTRIBUTES });
  } catch (err) {
    logger.warn('the app list is unavailable; Info.plist will list no apps', { reason: (err as Error).message });
  }
  const sources: InfoPlistSources = { lockdownValues: isPlistDict(root) ? root : {}, apps };
  if (isPlistDict(iTunes)) sources.iTunesSettings = iTunes;
  if (typeof minVersion === 'string') sources.minITunesVersion = minVersion;
  return sources;
}

/** Builds the host-written Info.plist (docs/protocol/backup-format.md#infoplist) for a backup of `udid` started at `now`. */
export function buildBackupInfoPlist(udid: string, sources: InfoPlistSources, now: Date): InfoPlist {
  const values = sources.lockdownValues;
  const installed: string[] = [];
  const applications: PlistDict = {};
  for (const app of sources.apps) {
    const bundleId = getString(app, 'CFBundleIdentifier');
    if (!bundleId) continue;
    installed.push(bundleId);
    const sinf = getData(app, 'ApplicationSINF');
    const metadata = getData(app, 'iTunesMetadata');
    // Only apps the App Store can reinstall (both blobs present) are listed for restore.
    if (sinf && metadata) setPlistEntry(applications, bundleId, { ApplicationSINF: sinf, iTunesMetadata: metadata });
  }
  const deviceName = getString(values, 'DeviceName');
  const info: InfoPlist = {
    applications,
    buildVersion: getString(values, 'BuildVersion'),
    deviceName,
    displayName: deviceName,
    // 32 random upper-case hex characters, as libimobiledevice writes it.
    guid: randomBytes(16).toString('hex').toUpperCase(),
    iccid: getString(values, 'IntegratedCircuitCardIdentity'),
    imei: getString(values, 'InternationalMobileEquipmentIdentity'),
    meid: getString(values, 'MobileEquipmentIdentifier'),
    phoneNumber: getString(values, 'PhoneNumber'),
    installedApplications: installed,
    lastBackupDate: now,
    productType: getString(values, 'ProductType'),
    productVersion: getString(values, 'ProductVersion'),
    serialNumber: getString(values, 'SerialNumber'),
    targetIdentifier: udid,
    targetType: 'Device',
    uniqueIdentifier: udid.toUpperCase(),
    iTunesSettings: sources.iTunesSettings ?? {},
    iTunesVersion: sources.minITunesVersion ?? DEFAULT_ITUNES_VERSION,
  };
  for (const key of Object.keys(info) as (keyof InfoPlist)[]) {
    if (info[key] === undefined) delete info[key];
  }
  return info;
}
