import { BackupError } from '../../common/errors';

/** BackupError code of a Manifest.db that cannot be read (not SQLite, wrong shape, over a cap). */
export const MANIFEST_DB_UNREADABLE_CODE = 'backup.manifest-db-unreadable';
/** BackupError code of a Manifest.db whose reading ran past its time limit. */
export const MANIFEST_DB_TIMEOUT_CODE = 'backup.manifest-db-timeout';

/** "Cannot read Manifest.db because <because>." */
export function manifestDbUnreadable(because: string, cause?: unknown): BackupError {
  return new BackupError(`Cannot read Manifest.db because ${because}.`, MANIFEST_DB_UNREADABLE_CODE, undefined, { cause });
}
