import { BackupError, errorGuard } from '../common/errors';

/** What a device can be busy with in this process. */
export type DeviceOperationKind = 'backup' | 'restore' | 'encryption-change';

const RUNNING_SENTENCES: Record<DeviceOperationKind, (udid: string) => string> = {
  backup: (udid) => `A backup of ${udid} is already running in this window or process; wait for it to finish.`,
  restore: (udid) => `A restore to ${udid} is already running in this window or process; wait for it to finish.`,
  'encryption-change': (udid) => `A backup encryption change on ${udid} is already running in this window or process; wait for it to finish.`,
};

/** A backup, restore or encryption change was refused because another one runs on the same device in this process. */
export class DeviceBusyError extends BackupError {
  constructor(
    readonly udid: string,
    /** What already runs on the device. */
    readonly running: DeviceOperationKind,
  ) {
    super(RUNNING_SENTENCES[running](udid), 'backup.device-busy');
    this.name = 'DeviceBusyError';
  }
}

/** True when the error is a DeviceBusyError. */
export const isDeviceBusyError = errorGuard(DeviceBusyError);
