import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, promises as fs } from 'node:fs';
import type { DatasetEntry } from '../dataset/simulatedDataset';
import type { CurrentEntries } from './restoredDeviceState';
import type { RestoreStaging } from './restoreStaging';
import { storedContentPath, type StoredEntry } from './storedContent';

/**
 * Puts the device's kept files into the staging folder next to the restored ones, so the staged
 * content is the device's whole content after the restart: files a previous restore stored are
 * hard-linked (copied where links are not possible), generated files are written out chunk by
 * chunk and hashed. Returns the kept items with their content hashes.
 */
export async function stageKeptItems(kept: readonly DatasetEntry[], current: CurrentEntries, staging: RestoreStaging): Promise<StoredEntry[]> {
  const storedHashes = current.kind === 'stored' ? new Map(current.entries.map((e) => [e.fileID, e.sha256])) : undefined;
  const out: StoredEntry[] = [];
  for (const entry of kept) {
    if (entry.kind !== 'file') {
      out.push({ ...entry, sha256: undefined });
      continue;
    }
    const target = staging.contentPath(entry.fileID);
    if (current.kind === 'stored') {
      const source = storedContentPath(current.folder, entry.fileID);
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
      out.push({ ...entry, sha256: storedHashes?.get(entry.fileID) });
      continue;
    }
    const hash = createHash('sha256');
    const handle = await fs.open(target, 'wx', 0o600);
    try {
      for (const chunk of current.dataset.content(entry)) {
        hash.update(chunk);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    out.push({ ...entry, sha256: hash.digest('hex') });
  }
  return out;
}
