import { DeviceBusyError, type DeviceOperationKind } from './deviceBusyError';

/**
 * The device operations running in this process, by UDID (upper case: hosts and devices spell the
 * same UDID in either case). One process is one VS Code window's extension host or one CLI run.
 */
const running = new Map<string, DeviceOperationKind>();

/**
 * This process's claim on one device for one backup, restore or encryption change. Two operations
 * on the same device would fight over its one mobilebackup2 agent and, for backups, over the same
 * staging folder, so the second is refused at once instead of finding out halfway through.
 */
export class DeviceOperationClaim {
  private released = false;

  private constructor(
    readonly udid: string,
    readonly kind: DeviceOperationKind,
  ) {}

  /** Claims the device, or throws DeviceBusyError naming what already runs on it. */
  static take(udid: string, kind: DeviceOperationKind): DeviceOperationClaim {
    const key = udid.toUpperCase();
    const busyWith = running.get(key);
    if (busyWith !== undefined) throw new DeviceBusyError(udid, busyWith);
    running.set(key, kind);
    return new DeviceOperationClaim(udid, kind);
  }

  /** True while this claim holds the device with this UDID. */
  holds(udid: string): boolean {
    return !this.released && udid.toUpperCase() === this.udid.toUpperCase();
  }

  /** Frees the device for the next operation; a second call does nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    running.delete(this.udid.toUpperCase());
  }
}

/** Runs `operation` while holding the device, and frees it however the operation ends. */
export async function withDeviceClaim<T>(udid: string, kind: DeviceOperationKind, operation: (claim: DeviceOperationClaim) => Promise<T>): Promise<T> {
  const claim = DeviceOperationClaim.take(udid, kind);
  try {
    return await operation(claim);
  } finally {
    claim.release();
  }
}
