import { isPlistDict, parsePlist } from '../../plist';
import type { MediaFileSystem } from '../mediaFileSystem';

/** Where hosts leave the apps to download again after a restore (written over AFC, docs/protocol/mobilebackup2.md#restore-sequence, step 3). */
export const RESTORE_APPLICATIONS_FILE = '/iTunesRestore/RestoreApplications.plist';

/**
 * How many apps the host asked the device to download again after the restart: the bundle ids in
 * /iTunesRestore/RestoreApplications.plist on the media partition. Undefined when the host wrote
 * none (or something that is not a dictionary).
 */
export function appsToReinstall(media: MediaFileSystem): number | undefined {
  const node = media.lookup(RESTORE_APPLICATIONS_FILE);
  if (!node || node.kind !== 'file' || node.data.length === 0) return undefined;
  try {
    const dict = parsePlist(node.data);
    return isPlistDict(dict) ? Object.keys(dict).length : undefined;
  } catch {
    return undefined;
  }
}
