import type { DeviceFacts } from '../device/deviceFacts';
import type { SourceFacts, TargetFacts } from './facts';

/** The restore target's facts as the evaluator wants them (the ADE setting is never readable from the device). */
export function targetFactsFromDevice(device: DeviceFacts): TargetFacts {
  return {
    udid: device.udid,
    iosVersion: device.iosVersion ?? null,
    supervised: device.supervised ?? null,
    adeRestoreFromBackupAllowed: null,
  };
}

/** A live device taken as the source (its backup is about to be made): its current state is the backup-time state. */
export function sourceFactsFromDevice(device: DeviceFacts): SourceFacts {
  return {
    udid: device.udid,
    iosVersion: device.iosVersion ?? null,
    supervisedAtBackup: device.supervised ?? null,
    mdmEnrolledAtBackup: device.mdm === undefined ? null : device.mdm === 'enrolled',
  };
}
