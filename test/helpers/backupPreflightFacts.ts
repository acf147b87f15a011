import type { BackupPreflightFacts } from '../../src/backup/restore/restorePreflightFacts';

/**
 * What the restore checks read from a complete, encrypted iOS 16.1 backup of a supervised, MDM-enrolled
 * device whose password was given correctly: every backup check passes; `over` changes the case under test.
 */
export function completeBackupFacts(udid: string, over: Partial<BackupPreflightFacts> = {}): BackupPreflightFacts {
  return {
    backupDir: `/backups/${udid}`,
    udid,
    iosVersion: '16.1',
    missingFiles: [],
    emptyFiles: [],
    snapshotState: 'finished',
    backupInterrupted: false,
    encrypted: true,
    password: { kind: 'correct' },
    sizeBytes: 5_000_000,
    compatSource: { udid, iosVersion: '16.1', supervisedAtBackup: true, mdmEnrolledAtBackup: true },
    compatNotes: [],
    ...over,
  };
}
