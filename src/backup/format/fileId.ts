import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { BackupError } from '../../common/errors';

// Real fileIDs are lowercase; upper case is tolerated because the name on disk matches the database row.
const FILE_ID_PATTERN = /^[0-9a-fA-F]{40}$/;

/** The fileID of a backed-up file: lowercase hex SHA-1 of `<domain>-<relativePath>` (UTF-8). */
export function computeFileId(domain: string, relativePath: string): string {
  return createHash('sha1').update(`${domain}-${relativePath}`, 'utf8').digest('hex');
}

/** True when the string has the shape of a fileID (40 hex characters). */
export function isFileId(value: string): boolean {
  return FILE_ID_PATTERN.test(value);
}

/**
 * Where a file's content lives in a backup folder: `<backupDir>/<first two hex chars>/<fileID>`.
 * fileIDs come from Manifest.db, which is untrusted, so anything but 40 hex chars is refused
 * (a fileID like `../../x` would otherwise point outside the backup).
 */
export function hashedFilePath(backupDir: string, fileId: string): string {
  if (!isFileId(fileId)) {
    throw new BackupError(
      `Cannot locate the file "${fileId}" in the backup because its fileID is not 40 hexadecimal characters.`,
      'backup.bad-file-id',
    );
  }
  return path.join(backupDir, fileId.slice(0, 2), fileId);
}
