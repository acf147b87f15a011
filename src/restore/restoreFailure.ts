import { BackupError } from '../common/errors';
import type { Mobilebackup2Result } from '../services/mobilebackup2';
import { formatByteCount } from '../common/byteCount';

/**
 * What the device's MBErrorDomain codes mean for a restore and what to do (docs/failure-sources.md#mberrordomain-codes,
 * docs/protocol/mobilebackup2.md#error-codes). One sentence each; the device's own description is appended when present.
 */
const RESTORE_ERROR_SENTENCES: Record<number, string> = {
  2: 'The device could not move a restored file into place; if it stops at the same file every time, a file name in the backup may be stored in decomposed Unicode, so make a new backup of the source device and try again',
  4: 'The device could not find a file it needs in the backup folder; make a new backup of the source device and restore from that one',
  102: 'The device still holds the files of an earlier restore that was not followed by a restart; restart the device, then run the restore again (and do not use --no-reboot between restores)',
  205: 'The device could not take one or more files of the backup; check that the device has enough free space and that every file in the backup folder is readable, then try again',
  207: "The device rejected the backup password; use the password this backup was encrypted with (it is neither the device passcode nor the Apple ID password)",
  208: 'The device is locked and nobody entered its passcode in time; unlock the device, keep it awake, and try again',
  211: 'Find My must be turned off before restoring; on the device open Settings > [your name] > Find My, turn Find My iPhone off (the Apple ID password is needed), then run the restore again',
  212: 'The device cannot take a restore until Setup Assistant has activated it; go on with the setup until the Apps & Data screen, then restore',
};

/** "Insufficient free disk space on device to restore (A < B)": the device's own free and needed bytes. */
const SPACE_NUMBERS = /\((\d+)\s*<\s*(\d+)\)/;

/** The BackupError for a non-zero final ErrorCode of a restore, carrying the device code. */
export function restoreErrorFromResult(result: Mobilebackup2Result): BackupError {
  const code = result.errorCode;
  const description = result.errorDescription ? oneLine(result.errorDescription) : undefined;
  const detail = description ? ` (device: ${description})` : ` (MBErrorDomain/${code})`;
  let sentence: string;
  if (code === 105) {
    const numbers = description ? SPACE_NUMBERS.exec(description) : null;
    const amounts = numbers ? ` (it has ${formatByteCount(Number(numbers[1]))} free and needs ${formatByteCount(Number(numbers[2]))})` : '';
    sentence = `The device does not have enough free space for this restore${amounts}; delete content on the device or erase it, then try again${detail}.`;
  } else if (description && /too old/i.test(description)) {
    sentence = `The backup was made on a newer iOS than the device runs ("the software is too old"); update the device first (set it up as new, update iOS, erase it, then restore)${detail}.`;
  } else if (RESTORE_ERROR_SENTENCES[code]) {
    sentence = `${RESTORE_ERROR_SENTENCES[code]}${detail}.`;
  } else {
    sentence = `The device stopped the restore with error ${code}${description ? `: ${description}` : ''}; the device may be partly restored, so restart it and run the restore again.`;
  }
  return new BackupError(sentence, `restore.device-error.${code}`, code);
}

/** The device ended the request loop with DLMessageDisconnect instead of a result. */
export function restoreDisconnectedError(reason: string | undefined): BackupError {
  return new BackupError(
    `The device ended the restore without reporting a result${reason ? ` (${oneLine(reason)})` : ''}, so it may be only partly restored; reconnect it and run the same restore again (restart the device first if the retry fails with error 102).`,
    'restore.device-disconnected',
  );
}

/** The link broke in the middle of the restore (cable, hub, usbmuxd, device restart). */
export function restoreInterruptedError(cause: unknown): BackupError {
  return new BackupError(
    'The connection to the device broke during the restore, so it may be only partly restored; check the cable, reconnect the device and run the same restore again (restart the device first if the retry fails with error 102).',
    'restore.device-disconnected',
    undefined,
    { cause },
  );
}

/** The device stayed silent longer than the restore allows. */
export function restoreSilentError(cause: unknown): BackupError {
  return new BackupError(
    'The device stopped responding during the restore; make sure it is unlocked and connected, then run the same restore again.',
    'restore.device-silent',
    undefined,
    { cause },
  );
}

// Device descriptions may carry newlines and nested "Underlying error" chains; the CLI prints one line.
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat.replace(/\.$/, '');
}
