import { createHash } from 'node:crypto';
import { CONFIGURATION_PROFILES_DOMAIN } from '../dataset/configurationProfileStore';
import type { DatasetEntry, SimulatedDataset } from '../dataset/simulatedDataset';

/** What the digest covers of one item: identity, kind, size, mode, modification time and content. */
export interface DigestEntry {
  domain: string;
  relativePath: string;
  kind: 'file' | 'directory';
  size: number;
  mode: number;
  lastModified: number;
  /** SHA-256 of a file's content (hex); unused for directories. */
  sha256?: string;
}

/** The digest of a device's content with its counts, as lockdown reports it. */
export interface ContentSummary {
  digest: string;
  fileCount: number;
  byteCount: number;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The digest of a device's content: SHA-256 over one line per item, ordered by domain then path,
 * so two devices holding the same files (same paths, sizes, modes, dates and bytes) have the same
 * digest whatever order they were written in. Lets a test compare a restored device with the
 * device its backup came from. The configuration-profile store's domain is left out of the digest
 * (not of the counts): its files follow the device's management state, which a restore decides
 * by the MDM vendor's rules and lockdown reports on its own, so a device restored from another
 * device's backup holds that device's data but not necessarily its management state.
 */
export function contentDigest(entries: readonly DigestEntry[]): ContentSummary {
  const ordered = [...entries].sort((x, y) => (x.domain === y.domain ? compareText(x.relativePath, y.relativePath) : compareText(x.domain, y.domain)));
  const hash = createHash('sha256');
  let fileCount = 0;
  let byteCount = 0;
  for (const e of ordered) {
    if (e.kind === 'file') {
      fileCount++;
      byteCount += e.size;
    }
    if (e.domain === CONFIGURATION_PROFILES_DOMAIN) continue;
    hash.update(`${e.kind}\0${e.domain}\0${e.relativePath}\0${e.size}\0${e.mode.toString(8)}\0${e.lastModified}\0${e.kind === 'file' ? (e.sha256 ?? '') : ''}\n`, 'utf8');
  }
  return { digest: hash.digest('hex'), fileCount, byteCount };
}

/** SHA-256 of one generated file's content, produced chunk by chunk. */
export function generatedContentSha256(dataset: SimulatedDataset, entry: DatasetEntry): string {
  const hash = createHash('sha256');
  for (const chunk of dataset.content(entry)) hash.update(chunk);
  return hash.digest('hex');
}

/** The digest of a generated dataset (every file's content is generated and hashed once). */
export function generatedDatasetDigest(dataset: SimulatedDataset): ContentSummary {
  return contentDigest(dataset.entries.map((entry) => ({ ...entry, sha256: entry.kind === 'file' ? generatedContentSha256(dataset, entry) : undefined })));
}
