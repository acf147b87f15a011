import { isAfcError } from '../common/errors';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { buildXmlPlist, isPlistDict, setPlistEntry, type PlistDict } from '../plist';
import type { AfcService } from '../services/afc';
import { AFC_STATUS } from '../services/afcStatus';

/** The media-partition folder a host leaves app re-installation instructions in. */
export const RESTORE_APPLICATIONS_DIR = '/iTunesRestore';

/** The file the device reads after a restore to download the apps again (docs/protocol/mobilebackup2.md#restore-sequence, step 3). */
export const RESTORE_APPLICATIONS_FILE = `${RESTORE_APPLICATIONS_DIR}/RestoreApplications.plist`;

/**
 * The apps of a backup's Info.plist `Applications` (bundle id → ApplicationSINF, iTunesMetadata,
 * PlaceholderIcon) that can go into RestoreApplications.plist: well-formed entries only, since a
 * hand-edited Info.plist may hold anything.
 */
export function restoreApplicationEntries(applications: PlistDict | undefined): PlistDict {
  const entries: PlistDict = {};
  for (const [bundleId, entry] of Object.entries(applications ?? {})) {
    if (bundleId !== '' && isPlistDict(entry)) setPlistEntry(entries, bundleId, entry);
  }
  return entries;
}

/** RestoreApplications.plist as the device reads it: the app entries as an XML plist. */
export function encodeRestoreApplications(entries: PlistDict): Buffer {
  return Buffer.from(buildXmlPlist(entries), 'utf8');
}

/** Writes RestoreApplications.plist over AFC, creating /iTunesRestore first (an existing folder is fine). */
export async function writeRestoreApplications(afc: AfcService, plist: Buffer): Promise<void> {
  try {
    await afc.makeDirectory(RESTORE_APPLICATIONS_DIR);
  } catch (err) {
    if (!(isAfcError(err) && err.status === AFC_STATUS.ObjectExists)) throw err;
  }
  await afc.writeFile(RESTORE_APPLICATIONS_FILE, plist);
}

/** Removes RestoreApplications.plist and its folder again after a failed restore; best effort, never throws. */
export async function removeRestoreApplications(afc: AfcService, logger: Logger = silentLogger): Promise<void> {
  for (const target of [RESTORE_APPLICATIONS_FILE, RESTORE_APPLICATIONS_DIR]) {
    try {
      await afc.removePath(target);
    } catch (err) {
      logger.debug('could not remove the app list from the device', { path: target, reason: (err as Error).message });
    }
  }
}
