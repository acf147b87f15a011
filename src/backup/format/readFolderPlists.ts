import { INFO_PLIST_FILE, readInfoPlist, type InfoPlist } from './infoPlist';
import { MANIFEST_PLIST_FILE, readManifestPlist, type ManifestPlist } from './manifestPlist';
import { STATUS_PLIST_FILE, readStatusPlist, type StatusPlist } from './statusPlist';

/** The three folder-level plists of a backup, each absent when it was not read. */
export interface FolderPlistReads {
  info?: InfoPlist;
  manifest?: ManifestPlist;
  status?: StatusPlist;
}

/**
 * Reads Info.plist, Manifest.plist and Status.plist of a backup folder. One that cannot be read goes to
 * `failed` with its file name (the readers' errors are one sentence naming the file) and is left out; one
 * that `wanted` turns down (already known to be absent) is not read at all.
 */
export async function readFolderPlists(dir: string, failed: (fileName: string, error: unknown) => void, wanted: (fileName: string) => boolean = () => true): Promise<FolderPlistReads> {
  const read = async <T>(fileName: string, reader: (dir: string) => Promise<T>): Promise<T | undefined> => {
    if (!wanted(fileName)) return undefined;
    try {
      return await reader(dir);
    } catch (err) {
      failed(fileName, err);
      return undefined;
    }
  };
  return { info: await read(INFO_PLIST_FILE, readInfoPlist), manifest: await read(MANIFEST_PLIST_FILE, readManifestPlist), status: await read(STATUS_PLIST_FILE, readStatusPlist) };
}
