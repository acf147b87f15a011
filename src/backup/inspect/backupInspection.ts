import type { BackupManagement } from './backupManagement';

/** See {@link BackupInspection.passwordOutcome}. */
export type PasswordOutcome = 'not-needed' | 'not-given' | 'opens' | 'refused' | null;

/** The device a backup came from, as the backup's plists record it; null where they do not say. */
export interface InspectedDevice {
  name: string | null;
  /** e.g. iPhone14,5 */
  productType: string | null;
  /** e.g. iPhone 13 */
  marketingName: string | null;
  iosVersion: string | null;
  buildVersion: string | null;
  udid: string | null;
  serialNumber: string | null;
}

/** One app the backup holds. */
export interface InspectedApp {
  bundleId: string;
  /** The name the backup records for it (Info.plist's iTunesMetadata), or null. */
  name: string | null;
}

/** A domain and how much of the backup it takes. */
export interface DomainSize {
  domain: string;
  bytes: number;
  files: number;
}

/** What `inspect <backupDir> --json` prints: what a backup is. */
export interface BackupInspection {
  backupDir: string;
  device: InspectedDevice;
  /** When the backup finished (ISO 8601), or null. */
  backupDate: string | null;
  /** null when Manifest.plist cannot be read. */
  encrypted: boolean | null;
  /**
   * What the inspection learnt about the password: not needed (not encrypted), not given, opens the
   * keybag, refused by it; null when it was not tried (encryption unknown, Manifest.db missing).
   * Callers use this, not the wording of `problems`, to tell a wrong password from a missing one.
   */
  passwordOutcome: PasswordOutcome;
  complete: boolean;
  /** Why the backup is not complete: one sentence each; empty when complete. */
  incompleteReasons: string[];
  /** Bytes on disk in the backup folder. */
  totalBytes: number;
  apps: { count: number; items: InspectedApp[] };
  /** The largest domains by the sizes Manifest.db records, largest first. */
  largestDomains: DomainSize[];
  management: BackupManagement;
  /** What could not be read (a plist, Manifest.db, the password), one sentence each. */
  problems: string[];
}
