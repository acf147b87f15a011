import { getString, isPlistDict, parsePlist, type PlistDict, type PlistValue } from '../../plist';
import type { InfoPlist } from '../format/infoPlist';
import type { ManifestPlist } from '../format/manifestPlist';
import type { InspectedApp } from './backupInspection';
import { displayString } from './displayString';

/** Most apps an inspection lists (a full phone holds a few hundred). */
export const MAX_INSPECTED_APPS = 10_000;
/** Longest app name shown. */
export const MAX_APP_NAME_CHARS = 256;
/** Longest bundle id accepted (Apple's limit is 155 characters). */
const MAX_BUNDLE_ID_CHARS = 256;
/** Largest iTunesMetadata plist parsed for a name (real ones are a few KB). */
const MAX_METADATA_BYTES = 1024 * 1024;
// Reverse-DNS characters only; a "bundle id" with spaces or controls is not one.
const BUNDLE_ID_SHAPE = /^[A-Za-z0-9._-]+$/;

/** The apps a backup holds, and what about the lists could not be used. */
export interface BackupApps {
  /** How many distinct apps the backup lists. */
  count: number;
  /** Sorted by bundle id, at most {@link MAX_INSPECTED_APPS}. */
  items: InspectedApp[];
  problems: string[];
}

/**
 * The apps of a backup. The host writes them into Info.plist: `Applications` (bundle id → the App Store
 * receipt and `iTunesMetadata`, a plist whose `itemName`/`bundleDisplayName` is the app's name) and
 * `Installed Applications` (bundle ids); the two lists are joined. Only when Info.plist lists none are the
 * bundle ids of Manifest.plist's `Applications` (written by the device, without names) used.
 */
export function backupApps(info: InfoPlist | undefined, manifest: ManifestPlist | undefined): BackupApps {
  const names = new Map<string, string | null>();
  let refused = 0;
  const add = (bundleId: string, entry: PlistValue | undefined): void => {
    if (bundleId.length === 0 || bundleId.length > MAX_BUNDLE_ID_CHARS || !BUNDLE_ID_SHAPE.test(bundleId)) {
      refused++;
      return;
    }
    const name = entry === undefined ? null : appName(entry);
    if (!names.has(bundleId) || (names.get(bundleId) === null && name !== null)) names.set(bundleId, name);
  };
  for (const [bundleId, entry] of Object.entries(info?.applications ?? {})) add(bundleId, entry);
  for (const bundleId of info?.installedApplications ?? []) add(bundleId, undefined);
  const fromInfo = names.size > 0;
  if (!fromInfo) for (const bundleId of Object.keys(manifest?.applications ?? {})) add(bundleId, undefined);

  const problems: string[] = [];
  if (refused > 0) problems.push(`${refused} app entries were left out because their bundle ids are not bundle ids (empty, too long, or with characters a bundle id cannot have).`);
  const sorted = [...names.keys()].sort();
  if (sorted.length > MAX_INSPECTED_APPS) problems.push(`The backup lists ${sorted.length} apps; only the first ${MAX_INSPECTED_APPS} by bundle id are shown.`);
  const items = sorted.slice(0, MAX_INSPECTED_APPS).map((bundleId) => ({ bundleId, name: names.get(bundleId) ?? null }));
  return { count: sorted.length, items, problems };
}

/** The name in an `Applications` entry's iTunesMetadata, or null when it has none that can be read. */
function appName(entry: PlistValue): string | null {
  if (!isPlistDict(entry)) return null;
  const metadata = entry.iTunesMetadata;
  let dict: PlistDict | undefined;
  if (isPlistDict(metadata)) dict = metadata;
  else if (Buffer.isBuffer(metadata) && metadata.length > 0 && metadata.length <= MAX_METADATA_BYTES) {
    try {
      const parsed = parsePlist(metadata);
      dict = isPlistDict(parsed) ? parsed : undefined;
    } catch {
      // A damaged metadata blob costs the app its name, nothing more.
      dict = undefined;
    }
  }
  if (dict === undefined) return null;
  for (const key of ['itemName', 'bundleDisplayName']) {
    const shown = displayString(getString(dict, key), MAX_APP_NAME_CHARS);
    if (shown !== undefined) return shown;
  }
  return null;
}
