import type { DeviceFacts } from '../../device/deviceFacts';
import type { AttachedDevice, DeviceRosterSnapshot } from './attachedDevice';

/** A change notification in the shape of vscode.Event<void>, so the panel's inputs need no vscode types. */
export type ChangeEvent = (listener: () => void) => { dispose(): void };

/**
 * The extension's live device list, as the panel reads it. The Devices view's DeviceMonitor has this shape,
 * so the panel shares its one usbmuxd Listen subscription and its facts reads instead of opening its own.
 */
export interface CompatDeviceSource {
  readonly onDidChange: ChangeEvent;
  readonly state: 'idle' | 'connecting' | 'connected' | 'unreachable';
  readonly lastError: Error | undefined;
  devices(): readonly { udid: string; facts?: DeviceFacts; factsError?: Error; reading: boolean }[];
  /**
   * Starts watching usbmuxd if nobody has yet (the Devices view may never have been shown) and keeps retrying
   * an unreachable usbmuxd until disposed: the panel shows the devices as long as it is open.
   */
  hold(): { dispose(): void };
  /** Drops what is known and reads the devices again. */
  refresh(): Promise<void>;
}

/** One backup as the library lists it (BackupSummary has this shape); enough to offer it as a source. */
export interface BackupChoice {
  dir: string;
  udid?: string;
  deviceName?: string;
  iOSVersion?: string;
  date?: Date;
}

/** The local backups (the BackupLibrary of the Backups view). */
export interface CompatBackupSource {
  readonly onDidChange: ChangeEvent;
  list(): Promise<readonly BackupChoice[]>;
  /** Forgets the listing so the next list() reads the folder again. */
  invalidate(): void;
  /** The configured backup folder (where the folder picker starts). */
  readonly root: string;
}

/** The device list in the panel's terms: watching state, and per device its facts or why they are missing. */
export function deviceSnapshot(source: Pick<CompatDeviceSource, 'state' | 'lastError' | 'devices'>): DeviceRosterSnapshot {
  const status: DeviceRosterSnapshot['status'] = source.state === 'connected' ? 'watching' : source.state === 'unreachable' ? 'unreachable' : 'starting';
  const devices = source.devices().map((d): AttachedDevice => {
    // While facts are re-read the previous ones stay valid; an error only counts when there are none.
    if (d.facts) return { udid: d.udid, facts: d.facts };
    if (d.factsError && !d.reading) return { udid: d.udid, readError: d.factsError.message };
    return { udid: d.udid };
  });
  return { status, problem: status === 'unreachable' ? source.lastError?.message : undefined, devices };
}
