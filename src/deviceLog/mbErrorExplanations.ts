/** What a MobileBackup (MBErrorDomain) error code means and what to do, in one sentence each. */
export interface MbErrorExplanation {
  code: number;
  meaning: string;
  fix: string;
}

/**
 * The MBErrorDomain codes support staff meet, condensed from the failure knowledge base
 * (docs/failure-sources.md#mberrordomain-codes). English is the source text; the editor translates it through its l10n bundle.
 */
const EXPLANATIONS: readonly MbErrorExplanation[] = [
  { code: 1, meaning: 'A generic failure: with "Error copying keychain data" the device was locked during the backup; with "No account exists" it is harmless.', fix: 'Unlock the device, keep it awake and retry.' },
  { code: 2, meaning: 'The restore could not rename a staged file into place; seen with backup paths stored in decomposed Unicode.', fix: 'Normalise the affected Manifest.db paths to NFC and retry (single report).' },
  { code: 3, meaning: 'The device could not create its backup snapshot because an interrupted backup left state behind.', fix: 'Reboot the device and back up again.' },
  { code: 4, meaning: 'A file the device expected in the backup folder (such as Status.plist) is missing.', fix: 'Point at the parent of the UDID folder, or make a fresh backup.' },
  { code: 11, meaning: 'The device could not read a property list, usually a 0-byte Manifest.plist left by an earlier backup.', fix: 'Back up into a new folder or delete the broken backup.' },
  { code: 22, meaning: 'An MDM restriction forces encrypted backups, so backup encryption cannot be turned off.', fix: 'Use an encrypted backup with a known password, or ask the organisation to lift the restriction.' },
  { code: 100, meaning: 'A file could not be read or written (I/O error); it usually appears nested under 103 or 104.', fix: 'Find the failing file in the device log (BackupAgent2 "Failed to upload"), remove it and retry.' },
  { code: 102, meaning: 'A previous restore was not followed by a reboot, so its staging folder /var/.backup.i is still there.', fix: 'Reboot the device, then restore again.' },
  { code: 103, meaning: 'The device could not read the backup status or properties: the host answered wrongly or the device was locked.', fix: 'Update the tool and keep the device unlocked.' },
  { code: 104, meaning: 'One or more files failed to upload from the device during the backup (I/O errors, or the device locked mid-backup).', fix: 'Keep the device unlocked, reboot it, remove the file the device log names, and retry.' },
  { code: 105, meaning: 'Not enough free space: on the computer when backing up, or on the device when restoring.', fix: 'Free space on the backup drive (backup) or on the device (restore), then retry.' },
  { code: 205, meaning: 'Restore: the device could not take one or more files; backup: the existing backup metadata is unreadable.', fix: 'Check device free space and that every backup file is readable; back up into a new folder if a plist is empty.' },
  { code: 207, meaning: 'The backup password is wrong; only the device can check it.', fix: 'Enter the right backup password; without it the encrypted backup cannot be restored.' },
  { code: 208, meaning: 'The device is locked: on iOS 16.1 and later nobody entered the passcode within about 3 minutes.', fix: 'Watch the device, enter the passcode when asked and keep it unlocked.' },
  { code: 211, meaning: 'The device refuses to restore while Find My is on.', fix: 'Turn off Find My (Settings > your name > Find My), restore, then turn it back on.' },
  { code: 212, meaning: 'The device is still in Setup Assistant, so it cannot be backed up yet.', fix: 'Finish setting up the device, then back up.' },
];

const BY_CODE = new Map(EXPLANATIONS.map((e) => [e.code, e]));

/** The explanation of an MBErrorDomain code, if the knowledge base has one. */
export function explainMbError(code: number): MbErrorExplanation | undefined {
  return BY_CODE.get(code);
}

/** Every explained code (for localisation checks and documentation). */
export function allMbErrorExplanations(): readonly MbErrorExplanation[] {
  return EXPLANATIONS;
}
