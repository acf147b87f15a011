import type { DeviceFacts } from '../../device/deviceFacts';

/** One device usbmuxd reports, with its facts once they have been read. */
export interface AttachedDevice {
  udid: string;
  /** Undefined while the facts are still being read or when reading failed. */
  facts?: DeviceFacts;
  /** Why the facts could not be read at all. */
  readError?: string;
}

/** The devices as the panel last saw them, and whether usbmuxd could be watched. */
export interface DeviceRosterSnapshot {
  status: 'starting' | 'watching' | 'unreachable';
  /** Why usbmuxd could not be watched (status "unreachable"). */
  problem?: string;
  devices: AttachedDevice[];
}
