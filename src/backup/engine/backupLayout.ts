import * as path from 'node:path';

/** Suffix of the folder a backup is written into before it replaces `<root>/<udid>/`. */
export const STAGING_SUFFIX = '.iosbr-staging';

/** Suffix the previous backup carries for the instant of the swap. */
export const PREVIOUS_SUFFIX = '.iosbr-previous';

/** Top-level folder the device stages its files in during a backup (docs/protocol/mobilebackup2.md#backup-sequence). */
export const DEVICE_SNAPSHOT_FOLDER = 'Snapshot';

/** The folders one device's backup lives in, under a backup root. */
export interface BackupLayout {
  root: string;
  udid: string;
  /** `<root>/<udid>`: the last complete backup. */
  finalDir: string;
  /** `<root>/<udid>.iosbr-staging`: the backup being written. */
  stagingDir: string;
  /** `<root>/<udid>.iosbr-previous`: the old backup while the new one is moved into place. */
  previousDir: string;
}

/** The folder names for `udid` under `root`. */
export function backupLayout(root: string, udid: string): BackupLayout {
  return {
    root,
    udid,
    finalDir: path.join(root, udid),
    stagingDir: path.join(root, `${udid}${STAGING_SUFFIX}`),
    previousDir: path.join(root, `${udid}${PREVIOUS_SUFFIX}`),
  };
}
