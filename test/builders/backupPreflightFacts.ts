import type { BackupPreflightFacts } from '../../src/restore/restorePreflightFacts';
import type { SourceFactSlots } from '../../src/restore/sourceFactsFromBackup';

/** The file of the backup's configuration-profile store that records supervision (where the facts below come from). */
export const CLOUD_CONFIGURATION_FILE = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles/CloudConfigurationDetails.plist';
/** The MDM profile stub of that store. */
export const MDM_STUB_FILE = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles/profile-0123456789abcdef0123456789abcdef01234567.stub';

/** Source facts as the backup's own files give them: UDID and iOS version from the plists, the state at backup time from the profile store. */
export function backupSourceSlots(udid: string, iosVersion: string, atBackup: { supervised: boolean; mdmEnrolled: boolean }): SourceFactSlots {
  return {
    'source.udid': { value: udid, origin: { kind: 'backup', file: 'Info.plist / Manifest.plist' } },
    'source.iosVersion': { value: iosVersion, origin: { kind: 'backup', file: 'Info.plist / Manifest.plist' } },
    'source.supervisedAtBackup': { value: atBackup.supervised, origin: { kind: 'backup', file: CLOUD_CONFIGURATION_FILE } },
    'source.mdmEnrolledAtBackup': { value: atBackup.mdmEnrolled, origin: { kind: 'backup', file: MDM_STUB_FILE } },
  };
}

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
    source: backupSourceSlots(udid, '16.1', { supervised: true, mdmEnrolled: true }),
    health: { kind: 'checked', health: { backupDir: `/backups/${udid}`, level: 'quick', healthy: true, encrypted: true, filesChecked: 0, bytesChecked: 0, problems: [], tolerated: [] } },
    ...over,
  };
}
