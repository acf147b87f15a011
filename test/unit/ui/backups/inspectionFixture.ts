import type { BackupInspection } from '../../../../src/backup/inspect/backupInspection';

/** The configuration-profile domain and files a device backup holds. */
export const PROFILES_DOMAIN = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles';
export const CLOUD_CONFIGURATION = 'Library/ConfigurationProfiles/CloudConfigurationDetails.plist';

/** An inspection of a supervised, MDM-enrolled backup; `over` replaces top-level fields. */
export function inspectionOf(over: Partial<BackupInspection> = {}): BackupInspection {
  return {
    backupDir: '/backups/A',
    device: { name: 'Support iPhone', productType: 'iPhone14,5', marketingName: 'iPhone 13', iosVersion: '16.1', buildVersion: '20B82', udid: 'A', serialNumber: 'F2LXXXXXXX' },
    backupDate: '2025-01-31T10:00:00.000Z',
    encrypted: false,
    passwordOutcome: 'not-needed',
    complete: true,
    incompleteReasons: [],
    totalBytes: 5_200_000,
    apps: { count: 2, items: [{ bundleId: 'com.example.mail', name: 'Example Mail' }, { bundleId: 'com.example.notes', name: null }] },
    largestDomains: [],
    management: {
      supervised: true,
      mdmEnrolled: true,
      organizationName: 'Example Corp',
      sources: [
        { domain: PROFILES_DOMAIN, relativePath: CLOUD_CONFIGURATION, facts: ['supervised', 'organizationName'], detail: 'IsSupervised is true; OrganizationName is Example Corp.' },
        { domain: PROFILES_DOMAIN, relativePath: 'Library/ConfigurationProfiles/profile-0a1b.stub', facts: ['mdmEnrolled'], detail: 'The profile holds a com.apple.mdm payload.' },
      ],
    },
    problems: [],
    ...over,
  };
}

/** The management state of a backup whose profile store could not be read (encrypted, no password). */
export function unknownManagement(detail: string): BackupInspection['management'] {
  return { supervised: null, mdmEnrolled: null, organizationName: null, sources: [{ domain: PROFILES_DOMAIN, relativePath: 'Library/ConfigurationProfiles', facts: [], detail }] };
}
