import type { DeviceFacts } from '../device/deviceFacts';
import type { FactKey } from './facts';
import { known, unknown, type FactSlot, type FactValue } from './factProvenance';

/** One attached device's facts as slots: the value it reports, else why it does not (a limitation, or silence). */
export function deviceFactReader(device: DeviceFacts): (value: FactValue | undefined) => FactSlot {
  return (value) => {
    if (value !== undefined) return known(value, { kind: 'device' });
    return unknown(device.limitation === undefined ? { code: 'device-not-reported' } : { code: 'device-limited', detail: device.limitation });
  };
}

/** The restore target's facts as slots (the ADE setting lives on the management site, never on the device). */
export function targetSlotsFromDevice(device: DeviceFacts): Partial<Record<FactKey, FactSlot>> {
  const read = deviceFactReader(device);
  return {
    'target.udid': known(device.udid, { kind: 'device' }),
    'target.iosVersion': read(device.iosVersion),
    'target.supervised': read(device.supervised),
    'target.adeRestoreFromBackupAllowed': unknown({ code: 'management-site' }),
  };
}

/** A live device taken as the source, as slots: its current state is its state at backup time. */
export function sourceSlotsFromDevice(device: DeviceFacts): Partial<Record<FactKey, FactSlot>> {
  const read = deviceFactReader(device);
  return {
    'source.udid': known(device.udid, { kind: 'device' }),
    'source.iosVersion': read(device.iosVersion),
    'source.supervisedAtBackup': read(device.supervised),
    'source.mdmEnrolledAtBackup': read(device.mdm === undefined ? undefined : device.mdm === 'enrolled'),
  };
}
