import { BackupError, errorGuard } from '../../common/errors';

/** A path named by a device or a backup would land outside the folder it must stay in. */
export class UnsafePathError extends BackupError {
  constructor(
    message: string,
    readonly unsafePath: string,
    readonly root: string,
  ) {
    super(message, 'backup.unsafe-path');
    this.name = 'UnsafePathError';
  }
}

/** The backup is encrypted and the reader in use cannot decrypt it. */
export class EncryptedBackupError extends BackupError {
  constructor(readonly backupDir: string) {
    super(
      `Cannot read the backup at ${backupDir}: this backup is encrypted; open it with its backup password to list or extract files.`,
      'backup.encrypted',
    );
    this.name = 'EncryptedBackupError';
  }
}

/** True when the error is an UnsafePathError. */
export const isUnsafePathError = errorGuard(UnsafePathError);

/** True when the error is an EncryptedBackupError. */
export const isEncryptedBackupError = errorGuard(EncryptedBackupError);
