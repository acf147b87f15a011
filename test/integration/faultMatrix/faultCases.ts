/**
 * The fault matrix: every case the simulated device (or the host disk) inflicts on a backup or a
 * restore run through our CLI, and what the person at the terminal must see. docs/fault-matrix.md
 * lists the same cases by id; faultMatrix.test.ts checks both lists are the same.
 */

/** What a case must end with. */
export type FaultOutcome =
  /** Exit 1, and this sentence alone on a line of stderr. */
  | { kind: 'fails'; sentence: RegExp }
  /** Exit 0: the fault came after the device's final result, so nothing was lost. */
  | { kind: 'completes' };

/** One case of the matrix. */
export interface FaultCase {
  /** Unique, and the first cell of its row in docs/fault-matrix.md. */
  id: string;
  operation: 'backup' | 'restore';
  /** The scenario `faults` of the device for this run only (the rerun goes without). */
  faults: Record<string, unknown>;
  outcome: FaultOutcome;
  /** Where the case runs: the shared simulator and folder (default), a small tmpfs backup root, or in-process with short host timeouts. */
  setup?: 'tmpfs' | 'slow-link';
  /** tmpfs cases: the free bytes a filler file leaves on the backup drive. */
  hostFreeBytes?: number;
}

export const BACKUP_DISCONNECTED = /^The device disconnected during the backup; check the cable and try again\.$/m;
export const RESTORE_INTERRUPTED =
  /^The connection to the device broke during the restore, so it may be only partly restored; check the cable, reconnect the device and run the same restore again \(restart the device first if the retry fails with error 102\)\.$/m;
export const BACKUP_DEVICE_SILENT = /^The device stopped responding during the backup; make sure it is unlocked and connected, then try again\.$/m;
export const RESTORE_DEVICE_SILENT = /^The device stopped responding during the restore; make sure it is unlocked and connected, then run the same restore again\.$/m;
export const BACKUP_HOST_DRIVE_FULL = /^The drive holding .+ is full \(no space left on device\); free up space on it or choose another folder with --dir, then try again\.$/m;
export const BACKUP_HOST_DISK_FULL = /^There is not enough free space on this computer for the backup; free up space on the backup drive or choose another folder with --dir \(.+\)\.$/m;

/**
 * The DeviceLink messages the simulated device sends in a backup, with the occurrence worth cutting
 * around. The later UploadFiles (#3 Manifest.db, #4 the finished Status.plist) sit between cases
 * already here (after #2 / before MoveItems, after RemoveItems / before the result), so they add
 * run time and no new state.
 */
const BACKUP_MESSAGES: Array<{ message: string; nth: number; label: string }> = [
  { message: 'DLMessageDownloadFiles', nth: 1, label: 'DLMessageDownloadFiles (previous Status.plist)' },
  { message: 'DLMessageGetFreeDiskSpace', nth: 1, label: 'DLMessageGetFreeDiskSpace' },
  { message: 'DLMessageCreateDirectory', nth: 1, label: 'DLMessageCreateDirectory (Snapshot)' },
  { message: 'DLMessageUploadFiles', nth: 1, label: 'DLMessageUploadFiles #1 (Status.plist "uploading")' },
  { message: 'DLMessageUploadFiles', nth: 2, label: 'DLMessageUploadFiles #2 (the files)' },
  { message: 'DLMessageMoveItems', nth: 1, label: 'DLMessageMoveItems' },
  { message: 'DLMessageRemoveItems', nth: 1, label: 'DLMessageRemoveItems (Snapshot)' },
  { message: 'DLMessageProcessMessage', nth: 1, label: 'DLMessageProcessMessage (final result)' },
];

/** The DeviceLink messages the simulated device sends in a restore. */
const RESTORE_MESSAGES: Array<{ message: string; nth: number; label: string }> = [
  { message: 'DLMessageDownloadFiles', nth: 1, label: 'DLMessageDownloadFiles #1 (Status, Manifest, Info)' },
  { message: 'DLMessageDownloadFiles', nth: 2, label: 'DLMessageDownloadFiles #2 (the files)' },
  { message: 'DLMessageProcessMessage', nth: 1, label: 'DLMessageProcessMessage (final result)' },
];

const isFinal = (message: string) => message === 'DLMessageProcessMessage';

function dropCases(operation: 'backup' | 'restore', messages: typeof BACKUP_MESSAGES, failure: RegExp): FaultCase[] {
  return messages.flatMap(({ message, nth, label }) =>
    (['before', 'after'] as const).map((when) => ({
      id: `${operation}: link dropped ${when} ${label}`,
      operation,
      faults: { dropLink: { operation, when, message, nth } },
      // After the final result the device has nothing left to say: the run is complete.
      outcome: when === 'after' && isFinal(message) ? { kind: 'completes' as const } : { kind: 'fails' as const, sentence: failure },
    })),
  );
}

/** Every case; `setup` tells which test file runs it. */
export const FAULT_CASES: FaultCase[] = [
  ...dropCases('backup', BACKUP_MESSAGES, BACKUP_DISCONNECTED),
  {
    id: 'backup: link dropped in the middle of a file',
    operation: 'backup',
    faults: { disconnectAfterBytes: 100_000 },
    outcome: { kind: 'fails', sentence: BACKUP_DISCONNECTED },
  },
  {
    id: 'backup: link dropped before DLMessagePurgeDiskSpace',
    operation: 'backup',
    faults: { lowHostDiskQuery: true, dropLink: { operation: 'backup', when: 'before', message: 'DLMessagePurgeDiskSpace' } },
    outcome: { kind: 'fails', sentence: BACKUP_DISCONNECTED },
  },
  {
    id: 'backup: link dropped after DLMessagePurgeDiskSpace',
    operation: 'backup',
    faults: { lowHostDiskQuery: true, dropLink: { operation: 'backup', when: 'after', message: 'DLMessagePurgeDiskSpace' } },
    outcome: { kind: 'fails', sentence: BACKUP_DISCONNECTED },
  },
  {
    id: 'backup: device finds the host disk too full (105)',
    operation: 'backup',
    faults: { lowHostDiskQuery: true },
    outcome: { kind: 'fails', sentence: BACKUP_HOST_DISK_FULL },
  },
  ...dropCases('restore', RESTORE_MESSAGES, RESTORE_INTERRUPTED),
  {
    id: 'restore: link dropped in the middle of the files',
    operation: 'restore',
    faults: { disconnectDuringRestoreAfterFiles: 5 },
    outcome: { kind: 'fails', sentence: RESTORE_INTERRUPTED },
  },
  {
    id: 'backup: host disk already full when the backup starts (ENOSPC on a tmpfs)',
    operation: 'backup',
    faults: {},
    outcome: { kind: 'fails', sentence: BACKUP_HOST_DRIVE_FULL },
    setup: 'tmpfs',
    hostFreeBytes: 0,
  },
  {
    id: 'backup: host disk fills up while files arrive (ENOSPC on a tmpfs)',
    operation: 'backup',
    faults: { skipHostFreeSpaceCheck: true },
    outcome: { kind: 'fails', sentence: BACKUP_HOST_DRIVE_FULL },
    setup: 'tmpfs',
    hostFreeBytes: 64 * 1024,
  },
  {
    id: 'backup: host disk too small, the device checks first (105 on a tmpfs)',
    operation: 'backup',
    faults: {},
    outcome: { kind: 'fails', sentence: BACKUP_HOST_DISK_FULL },
    setup: 'tmpfs',
    hostFreeBytes: 8 * 1024 * 1024,
  },
  {
    id: 'backup: slow link (16 KB/s): each 32 KiB block takes longer than the idle timeout',
    operation: 'backup',
    faults: { trickle: { bytesPerSecond: 16_000 } },
    outcome: { kind: 'completes' },
    setup: 'slow-link',
  },
  {
    id: 'backup: link stalls in the middle of the files',
    operation: 'backup',
    faults: { trickle: { bytesPerSecond: 200_000, stallAfterBytes: 40_000, stallMs: 3_000 } },
    outcome: { kind: 'fails', sentence: BACKUP_DEVICE_SILENT },
    setup: 'slow-link',
  },
  {
    id: 'restore: link stalls in the middle of the files',
    operation: 'restore',
    faults: { trickle: { bytesPerSecond: 20_000_000, stallAfterBytes: 3_000_000, stallMs: 3_000 } },
    outcome: { kind: 'fails', sentence: RESTORE_DEVICE_SILENT },
    setup: 'slow-link',
  },
];
