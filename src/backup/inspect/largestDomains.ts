import type { BackupReader } from '../format/backupReader';
import type { DomainSize } from './backupInspection';

/** How many domains an inspection lists. */
export const LARGEST_DOMAINS_SHOWN = 10;
/** Most distinct domains tallied (a full phone has a few thousand: several per app). */
const MAX_DOMAINS_TALLIED = 100_000;

/** The largest domains of a backup, and what could not be counted. */
export interface LargestDomains {
  domains: DomainSize[];
  problems: string[];
}

/**
 * Sums the file sizes Manifest.db records per domain and keeps the largest, largest first (ties by name).
 * The sizes are the recorded ones, so an encrypted backup's domains are measured in plaintext bytes.
 * Rows arrive from the Manifest.db worker in batches; only the per-domain tally is kept in memory.
 */
export async function largestDomains(reader: BackupReader, shown = LARGEST_DOMAINS_SHOWN): Promise<LargestDomains> {
  const tally = new Map<string, DomainSize>();
  let untallied = 0;
  for await (const entry of reader.iterateEntries()) {
    if (entry.kind !== 'file') continue;
    let size = tally.get(entry.domain);
    if (size === undefined) {
      if (tally.size >= MAX_DOMAINS_TALLIED) {
        untallied++;
        continue;
      }
      size = { domain: entry.domain, bytes: 0, files: 0 };
      tally.set(entry.domain, size);
    }
    size.bytes += entry.size ?? 0;
    size.files++;
  }
  const problems =
    untallied > 0 ? [`Manifest.db names more than ${MAX_DOMAINS_TALLIED} domains; ${untallied} files in the domains beyond those are not counted in the largest domains.`] : [];
  const domains = [...tally.values()].sort((a, b) => b.bytes - a.bytes || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0)).slice(0, shown);
  return { domains, problems };
}
