import { CancelledError } from '../../common/errors';

/** The user cancelled a backup; the message says what became of the previous backup. */
export class BackupCancelledError extends CancelledError {
  constructor(readonly previousBackupKept: boolean) {
    super('Backup');
    this.message = previousBackupKept
      ? 'Backup was cancelled; the previous backup is intact.'
      : 'Backup was cancelled; there was no earlier backup of this device to keep.';
    this.name = 'BackupCancelledError';
  }
}

/** True when the error is a BackupCancelledError. */
export const isBackupCancelledError = (e: unknown): e is BackupCancelledError => e instanceof BackupCancelledError;
