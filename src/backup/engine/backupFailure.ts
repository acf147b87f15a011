import { BackupError } from '../../common/errors';
import type { Mobilebackup2Result } from '../../services/mobilebackup2';

/**
 * What the device's MBErrorDomain codes mean for a backup and what to do (docs/failure-sources.md#mberrordomain-codes,
 * docs/protocol/mobilebackup2.md#error-codes). One sentence each; the device's own description is appended when it adds detail.
 */
const BACKUP_ERROR_SENTENCES: Record<number, string> = {
  1: 'The device stopped the backup because it could not read protected data, which usually means it locked during the backup; unlock it, keep it awake and try again',
  3: 'The device could not create its backup snapshot because an earlier backup was interrupted; restart the device and try again',
  4: 'The device could not find a file it expected in the backup folder; run a full backup with --full',
  103: 'The device could not read its backup properties, which usually means it is locked; unlock the device and try again',
  104: 'One or more files on the device could not be backed up; keep the device unlocked and awake, restart it, and try again',
  105: 'There is not enough free space on this computer for the backup; free up space on the backup drive or choose another folder with --dir',
  205: "The device could not read the previous backup's metadata; run a full backup with --full",
  207: 'The device rejected the backup password',
  208: 'The device is locked and nobody entered its passcode in time; unlock the device, enter the passcode when it asks, and try again',
  211: 'Find My must be turned off on the device first',
  212: 'The device cannot be backed up until Setup Assistant is finished; finish setting up the device and try again',
};

/** The BackupError for a non-zero final ErrorCode of a backup. */
export function backupErrorFromResult(result: Mobilebackup2Result): BackupError {
  const known = BACKUP_ERROR_SENTENCES[result.errorCode];
  const detail = result.errorDescription ? ` (device: ${oneLine(result.errorDescription)})` : ` (MBErrorDomain/${result.errorCode})`;
  const sentence = known
    ? `${known}${detail}.`
    : `The device stopped the backup with error ${result.errorCode}${result.errorDescription ? `: ${oneLine(result.errorDescription)}` : ''}.`;
  return new BackupError(sentence, `backup.device-error.${result.errorCode}`, result.errorCode);
}

/**
 * This computer ran out of disk space while writing the backup: the device then only reports that
 * its uploads failed (104), so the host says what really happened.
 */
export function backupHostDiskFullError(root: string, cause?: unknown): BackupError {
  return new BackupError(
    `The drive holding ${root} is full (no space left on device); free up space on it or choose another folder with --dir, then try again.`,
    'backup.host-disk-full',
    undefined,
    { cause },
  );
}

/** The device ended the request loop with DLMessageDisconnect instead of a result. */
export function backupDisconnectedError(reason: string | undefined): BackupError {
  return new BackupError(
    `The device ended the backup without reporting a result${reason ? ` (${oneLine(reason)})` : ''}; check the cable and try again.`,
    'backup.device-disconnected',
  );
}

// Device descriptions may carry newlines and nested "Underlying error" chains; the CLI prints one line.
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat.replace(/\.$/, '');
}
