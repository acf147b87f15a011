import { computeFileId } from '../../backup/format/fileId';
import { DATASET_DIRECTORY_MODE, type DatasetEntry } from '../dataset/simulatedDataset';
import type { BackupItem } from './backupItems';
import { isRestored, type RestoreScopeOptions } from './restoreScope';

/** What one Restore takes from the backup and what the device keeps of its own. */
export interface RestorePlan {
  /** Backup files whose content the device downloads. */
  files: BackupItem[];
  /** Backup directories the device recreates. */
  directories: BackupItem[];
  /** The device's own items that stay (outside what the options restore, or the folders they need). */
  kept: DatasetEntry[];
  /** The device's own items that go (replaced by the backup's part, or dropped by RemoveItemsNotRestored). */
  removed: number;
  /** Bytes the downloads declare: what the device must have free. */
  downloadBytes: number;
}

/** The options a plan follows. */
export interface RestorePlanOptions extends RestoreScopeOptions {
  removeItemsNotRestored: boolean;
}

/**
 * Splits a restore into what comes from the backup and what the device keeps. Whatever the
 * options restore (user data always; system files with RestoreSystemFiles; settings unless
 * RestorePreserveSettings) is replaced by the backup's version, so afterwards that part of the
 * device equals the backup. The rest of the device stays, unless RemoveItemsNotRestored drops
 * it; kept files keep the folders they live in.
 */
export function planRestore(items: readonly BackupItem[], current: readonly DatasetEntry[], options: RestorePlanOptions): RestorePlan {
  const restored = items.filter((item) => isRestored(item.domain, item.relativePath, options));
  const restoredIds = new Set(restored.map((item) => item.fileID));
  const kept = options.removeItemsNotRestored ? [] : current.filter((entry) => !isRestored(entry.domain, entry.relativePath, options));
  const keptIds = new Set(kept.map((entry) => entry.fileID));
  const byId = new Map(current.map((entry) => [entry.fileID, entry]));
  for (const entry of [...kept]) {
    if (entry.kind !== 'file') continue;
    for (const folder of ancestorsOf(entry.relativePath)) {
      const id = computeFileId(entry.domain, folder);
      if (restoredIds.has(id) || keptIds.has(id)) continue;
      keptIds.add(id);
      kept.push(byId.get(id) ?? syntheticFolder(entry, folder, id));
    }
  }
  const files = restored.filter((item) => item.kind === 'file');
  return {
    files,
    directories: restored.filter((item) => item.kind === 'directory'),
    kept,
    removed: current.length - kept.length,
    downloadBytes: files.reduce((sum, item) => sum + item.size, 0),
  };
}

/** The folders containing a path, from the domain root ("") down. */
function ancestorsOf(relativePath: string): string[] {
  const parts = relativePath.split('/');
  const out = [''];
  for (let depth = 1; depth < parts.length; depth++) out.push(parts.slice(0, depth).join('/'));
  return out;
}

function syntheticFolder(child: DatasetEntry, relativePath: string, fileID: string): DatasetEntry {
  return {
    domain: child.domain,
    relativePath,
    fileID,
    kind: 'directory',
    size: 0,
    mode: DATASET_DIRECTORY_MODE,
    inode: 0,
    birth: child.birth,
    lastModified: child.birth,
    protectionClass: 0,
    contentVersion: 0,
  };
}
