/**
 * A backup's management state at backup time (supervision, MDM enrolment, organisation), read from
 * the device's own configuration-profile store inside the backup. Each fact is null when the
 * backup does not say; the restore checks then ask the engineer instead of guessing.
 */

/** The facts the configuration-profile store can answer. */
export type ManagementFact = 'supervised' | 'mdmEnrolled' | 'organizationName';

/** One file of the backup that was read (or looked for), and what it said. */
export interface ManagementSource {
  /** The backup domain, e.g. SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles. */
  domain: string;
  /** The path inside the domain, e.g. Library/ConfigurationProfiles/CloudConfigurationDetails.plist. */
  relativePath: string;
  /** The facts this file decided; empty when it was read but decided nothing, or could not be read. */
  facts: ManagementFact[];
  /** One sentence: what the file says, or why it could not be used. */
  detail: string;
}

/** The JSON shape `inspect --json` prints under `management` (these names are fixed). */
export interface BackupManagement {
  supervised: boolean | null;
  mdmEnrolled: boolean | null;
  organizationName: string | null;
  sources: ManagementSource[];
}

// The reader lives in its own file; callers may import it from here, next to the shape it returns.
export { readBackupManagement, unknownManagement, type ReadBackupManagementOptions } from './readBackupManagement';
