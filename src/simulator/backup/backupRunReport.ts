/** How one Backup request ended, as the simulated device records it (tests and logs read it). */
export interface BackupRunReport {
  /** full: every file sent; incremental: only files changed since the host's previous backup. */
  mode: 'full' | 'incremental';
  /** finished: final ErrorCode 0; failed: a non-zero ErrorCode was sent; dropped: the connection ended first. */
  outcome: 'finished' | 'failed' | 'dropped';
  /** The final ErrorCode sent (0 on success; undefined when none was sent). */
  errorCode: number | undefined;
  /** Dataset files uploaded (hashed files, not Manifest/Status plists). */
  filesUploaded: number;
  /** Content bytes of those files. */
  fileBytesUploaded: number;
  /** fileIDs of the uploaded dataset files, in upload order. */
  uploadedFileIds: string[];
  /** Hashed files the device asked the host to delete (gone from the dataset). */
  filesRemoved: number;
  /** Dataset generation that was backed up. */
  generation: number;
  startedAt: Date;
  endedAt: Date;
}
