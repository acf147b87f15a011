import type { CompatRules } from '../compat/rulesModel';
import type { DeviceFacts } from '../device/deviceFacts';
import type { BackupHealth } from '../backup/verify/backupHealth';
import type { SourceFactSlots } from './sourceFactsFromBackup';

/** What checking the backup password on the host found (no device is involved). */
export type BackupPasswordOutcome =
  /** The backup is not encrypted, so no password is needed. */
  | { kind: 'not-needed' }
  /** The backup is encrypted and no password was given. */
  | { kind: 'missing' }
  /** The password opens the backup's keybag. */
  | { kind: 'correct' }
  /** The password does not open the backup's keybag. */
  | { kind: 'wrong' }
  /** The keybag is missing or damaged, so no password can open it. */
  | { kind: 'keybag-unreadable'; reason: string }
  /** Manifest.plist could not be read, so whether a password is needed is not known. */
  | { kind: 'unknown'; reason: string };

/** What the host read from the backup folder before touching the device. */
export interface BackupPreflightFacts {
  backupDir: string;
  /** UDID of the device the backup was made on, when the backup names it. */
  udid?: string;
  deviceName?: string;
  iosVersion?: string;
  /** Required files (Info.plist, Manifest.plist, Manifest.db, Status.plist) that are not there. */
  missingFiles: string[];
  /** Required files that are there but hold 0 bytes (the device fails on them with 205). */
  emptyFiles: string[];
  /** Status.plist SnapshotState ("finished" for a complete backup); undefined when not readable. */
  snapshotState?: string;
  /** Why Status.plist could not be read, when it is there but unreadable. */
  statusProblem?: string;
  /** Our backup engine's in-progress marker is in the folder: a backup into it never finished. */
  backupInterrupted: boolean;
  /** Manifest.plist IsEncrypted (or a keybag); undefined when Manifest.plist could not be read. */
  encrypted?: boolean;
  password: BackupPasswordOutcome;
  /** Bytes of all files in the backup folder: what the device has to take in. */
  sizeBytes: number;
  /**
   * The backup's facts for the restore-compatibility rules (the MDM vendor's document), read from the backup's
   * own files by the one reader (readBackupSourceFacts): each with the file it came from, or why it is unknown.
   */
  source: SourceFactSlots;
  /** The cheap part of the health check (verifyBackup level 'quick'), or why it could not run. */
  health: BackupHealthOutcome;
}

/** What the quick health check found, or the one sentence saying why it did not run. */
export type BackupHealthOutcome = { kind: 'checked'; health: BackupHealth } | { kind: 'not-checked'; reason: string };

/** What the host read from the restore target (lockdown values), after the backup was checked. */
export interface TargetPreflightFacts {
  device: DeviceFacts;
  /** Free bytes on the device's data partition (com.apple.disk_usage AmountDataAvailable); undefined when not readable. */
  freeBytes?: number;
  /** lockdown ActivationState ("Activated", "Unactivated", …); undefined when not readable. */
  activationState?: string;
}

/** Answers the engineer gave for facts neither the backup nor the device can tell (they fill only what was not read). */
export interface CompatAnswers {
  targetSupervised?: boolean;
  /**
   * The engineer's statement of the target's supervision at the moment of the restore (e.g. Automated Device
   * Enrollment will supervise the replacement in Setup Assistant): it wins over what the device reports now.
   */
  targetSupervisedAtRestore?: boolean;
  sourceSupervisedAtBackup?: boolean;
  sourceMdmEnrolledAtBackup?: boolean;
  adeRestoreFromBackupAllowed?: boolean;
}

/** Everything the restore checks reason about, gathered by one I/O step. */
export interface RestorePreflightFacts {
  backup: BackupPreflightFacts;
  /** Absent when the device was not read (the backup failed its own checks first). */
  target?: TargetPreflightFacts;
  rules: CompatRules;
  answers: CompatAnswers;
}
