/** What the health check found wrong with one part of a backup. */
export interface HealthProblem {
  /** The backup domain of the file, or null for the folder's own files (Info.plist, Manifest.plist, ...). */
  domain: string | null;
  /** The path inside the domain, or the folder-level file name. */
  relativePath: string;
  /** One sentence: what is wrong, for the engineer. */
  problem: string;
}

/** What `verify <backupDir> --json` prints. */
export interface BackupHealth {
  backupDir: string;
  /** 'quick': plists and Status only (what the restore checks always run); 'full': every file too. */
  level: 'quick' | 'full';
  /** No problem found, and everything the level covers was checked (a full check without the password of an encrypted backup is not healthy). */
  healthy: boolean;
  encrypted: boolean | null;
  filesChecked: number;
  bytesChecked: number;
  problems: HealthProblem[];
  /** Stale sizes and other oddities real devices produce, tolerated: one sentence each. */
  tolerated: string[];
  /** Problems found beyond those listed (the list is capped so a wrecked backup cannot fill memory). */
  problemsNotListed?: number;
  /** Tolerated oddities found beyond those listed. */
  toleratedNotListed?: number;
  /** What this level would check and could not, one sentence each (e.g. no password for an encrypted backup). */
  notChecked?: string[];
}
