import type { PlistDict } from '../plist';
import { SIMULATOR_DOMAIN } from './restore/restoredDeviceState';
import type { VirtualDevice } from './virtualDevice';

/** Keys lockdownd answers before a session is started (the rest needs pairing). */
const PRE_SESSION_KEYS = new Set([
  'BuildVersion', 'DeviceClass', 'DeviceColor', 'DeviceName', 'DevicePublicKey', 'HardwareModel', 'ProductName',
  'ProductType', 'ProductVersion', 'UniqueDeviceID', 'WiFiAddress', 'ActivationState', 'PasswordProtected',
]);

/** The root-domain values of a simulated device, from its scenario entry. */
export function rootValues(device: VirtualDevice, inSession: boolean): PlistDict {
  const s = device.spec;
  const all: PlistDict = {
    ActivationState: 'Activated',
    BuildVersion: s.buildVersion,
    CPUArchitecture: 'arm64e',
    DeviceClass: s.deviceClass,
    DeviceColor: '1',
    DeviceName: s.name,
    DevicePublicKey: device.keys.publicKeyPkcs1Pem,
    HardwareModel: 'D16AP',
    PasswordProtected: false,
    ProductName: s.deviceClass === 'iPad' ? 'iPadOS' : 'iPhone OS',
    ProductType: s.productType,
    ProductVersion: s.productVersion,
    ProtocolVersion: '2',
    SerialNumber: s.serialNumber,
    TimeZone: 'Asia/Tokyo',
    UniqueChipID: 0x1a2b3c4d5e,
    UniqueDeviceID: s.udid,
    WiFiAddress: s.wifiAddress,
  };
  if (inSession) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => PRE_SESSION_KEYS.has(k)));
}

/** The values of a lockdown domain, or undefined for a domain the simulator does not model. */
export function domainValues(device: VirtualDevice, domain: string): PlistDict | undefined {
  const s = device.spec;
  switch (domain) {
    case 'com.apple.mobile.backup':
      return { WillEncrypt: device.backupPassword !== null, RequiresEncryption: false, CloudBackupEnabled: false, Version: '2.0' };
    case 'com.apple.fmip':
      return { IsAssociated: s.findMy };
    case 'com.apple.purplebuddy':
      // Setup Assistant's own domain: SetupDone is false until the person finishes it.
      return { SetupDone: s.setupDone };
    case 'com.apple.mobile.chaperone':
      return { DeviceIsChaperoned: s.supervised };
    case 'com.apple.international':
      return { Language: 'ja', Locale: 'ja_JP' };
    case 'com.apple.mobile.iTunes':
      return { MinITunesVersion: '12.5.2', SyncDataClasses: ['Contacts', 'Calendars', 'Bookmarks', 'Mail Accounts', 'Notes'] };
    case 'com.apple.iTunes':
      return {};
    case 'com.apple.mobile.battery':
      return { BatteryCurrentCapacity: 87, BatteryIsCharging: true };
    case 'com.apple.disk_usage': {
      // The scenario's freeSpaceBytes, less what restores added beyond the generated dataset.
      const free = device.restored.freeBytes(s);
      return { TotalDiskCapacity: 128_000_000_000, TotalDataCapacity: 110_000_000_000, TotalDataAvailable: free, AmountDataAvailable: free };
    }
    case SIMULATOR_DOMAIN:
      return device.restored.simulatorValues(s);
    default:
      return undefined;
  }
}
