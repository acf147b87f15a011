import { ProtocolError } from '../common/errors';
import { getDict, getInteger, getString, isPlistDict, type PlistValue } from '../plist';
import { normalizeUdid } from './protocol';

/** A device as usbmuxd reports it. */
export interface UsbmuxDevice {
  /** usbmuxd's handle for the device, valid while it stays attached. */
  deviceId: number;
  udid: string;
  connectionType: 'USB' | 'Network';
  productId?: number;
  locationId?: number;
  connectionSpeed?: number;
}

/** Validates an Attached-style dict ({DeviceID, Properties}) from usbmuxd into a UsbmuxDevice. */
export function deviceFromAttached(value: PlistValue): UsbmuxDevice {
  if (!isPlistDict(value)) throw new ProtocolError('usbmuxd sent a device entry that is not a dictionary.', 'usbmuxd');
  const props = getDict(value, 'Properties');
  const deviceId = getInteger(value, 'DeviceID') ?? (props && getInteger(props, 'DeviceID'));
  const serial = props && getString(props, 'SerialNumber');
  if (deviceId === undefined || !serial) {
    throw new ProtocolError('usbmuxd sent a device entry without DeviceID or SerialNumber.', 'usbmuxd');
  }
  const type = props && getString(props, 'ConnectionType');
  return {
    deviceId,
    udid: normalizeUdid(serial),
    connectionType: type === 'Network' ? 'Network' : 'USB',
    productId: props && getInteger(props, 'ProductID'),
    locationId: props && getInteger(props, 'LocationID'),
    connectionSpeed: props && getInteger(props, 'ConnectionSpeed'),
  };
}

/** Keeps one entry per UDID, preferring USB over network, as libimobiledevice does by default. */
export function preferUsb(devices: UsbmuxDevice[]): UsbmuxDevice[] {
  const byUdid = new Map<string, UsbmuxDevice>();
  for (const d of devices) {
    const seen = byUdid.get(d.udid);
    if (!seen || (seen.connectionType === 'Network' && d.connectionType === 'USB')) byUdid.set(d.udid, d);
  }
  return [...byUdid.values()];
}
