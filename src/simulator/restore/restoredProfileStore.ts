import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { computeFileId } from '../../backup/format/fileId';
import {
  CONFIGURATION_PROFILES_DOMAIN,
  CONFIGURATION_PROFILES_FOLDER,
  configurationProfileStore,
  isProfileStoreFile,
  PROFILE_STORE_PROTECTION_CLASS,
} from '../dataset/configurationProfileStore';
import { DATASET_DIRECTORY_MODE, DATASET_FILE_MODE } from '../dataset/simulatedDataset';
import type { ManagedDevice } from '../deviceManagement';
import type { RestoreStaging } from './restoreStaging';
import type { StoredEntry } from './storedContent';

/** The folders the store lives in: the domain's root, Library, Library/ConfigurationProfiles. */
const STORE_FOLDERS = ['', ...CONFIGURATION_PROFILES_FOLDER.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))];

/**
 * The staged content with the configuration-profile store of the device's state after the restore.
 * profiled's store records the management the device really has, and after a restore that follows
 * the MDM vendor's rules rather than simply the backup's files (another device's enrolment does not
 * come along), so the restored store files are replaced by the ones of the resulting state: the
 * same bytes when the backup's state returns. Files are written into the staging folder; a staged
 * file is unlinked before it is rewritten, since kept files may be hard links to the content a
 * previous restore stored.
 */
export function withDeviceProfileStore(entries: readonly StoredEntry[], device: ManagedDevice, staging: RestoreStaging): StoredEntry[] {
  const out: StoredEntry[] = [];
  for (const entry of entries) {
    if (entry.kind === 'file' && isProfileStoreFile(entry.domain, entry.relativePath)) {
      rmSync(staging.contentPath(entry.fileID), { force: true });
      continue;
    }
    out.push(entry);
  }
  let nextInode = out.reduce((max, e) => Math.max(max, e.inode), 0) + 1;
  const present = new Set(out.filter((e) => e.domain === CONFIGURATION_PROFILES_DOMAIN && e.kind === 'directory').map((e) => e.relativePath));
  const store = configurationProfileStore(device);
  const birth = store[0].birth;
  for (const folder of STORE_FOLDERS) {
    if (present.has(folder)) continue;
    out.push({
      domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: folder, fileID: computeFileId(CONFIGURATION_PROFILES_DOMAIN, folder), kind: 'directory', size: 0,
      mode: DATASET_DIRECTORY_MODE, inode: nextInode++, birth, lastModified: birth, protectionClass: 0, contentVersion: 0, sha256: undefined,
    });
  }
  for (const file of store) {
    const fileID = computeFileId(CONFIGURATION_PROFILES_DOMAIN, file.relativePath);
    writeFileSync(staging.contentPath(fileID), file.bytes, { flag: 'wx', mode: 0o600 });
    out.push({
      domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: file.relativePath, fileID, kind: 'file', size: file.bytes.length, mode: DATASET_FILE_MODE,
      inode: nextInode++, birth: file.birth, lastModified: file.lastModified, protectionClass: PROFILE_STORE_PROTECTION_CLASS, contentVersion: 0,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
    });
  }
  return out;
}
