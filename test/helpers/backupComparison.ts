import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isPlistDict, parsePlist, type PlistDict, type PlistValue } from '../../src/plist';

/**
 * What differs by nature between two backups of the same unchanged device, and is left out of the comparison:
 * the dates and the backup UUID the device stamps on each backup, and in Info.plist (written by the host, not
 * sent by the device) the host's own GUID, its clock, and what only libimobiledevice adds: each app's
 * PlaceholderIcon and the "iTunes Files" dictionary.
 */
const PER_BACKUP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'Status.plist': ['Date', 'UUID'],
  'Manifest.plist': ['Date'],
  'Info.plist': ['GUID', 'Last Backup Date', 'iTunes Files'],
};
const LIBIMOBILEDEVICE_ONLY_APP_FIELDS = ['PlaceholderIcon'];

/** Every file below `dir`, as sorted paths relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

function without(dict: PlistDict, keys: readonly string[]): PlistDict {
  return Object.fromEntries(Object.entries(dict).filter(([key]) => !keys.includes(key)));
}

/** A top-level plist with its per-backup fields removed. */
function comparablePlist(name: string, bytes: Buffer): PlistValue {
  const plist = parsePlist(bytes);
  if (!isPlistDict(plist)) return plist;
  const kept = without(plist, PER_BACKUP_FIELDS[name] ?? []);
  if (name === 'Info.plist' && isPlistDict(kept.Applications)) {
    const apps = kept.Applications;
    kept.Applications = Object.fromEntries(Object.entries(apps).map(([id, app]) => [id, isPlistDict(app) ? without(app, LIBIMOBILEDEVICE_ONLY_APP_FIELDS) : app]));
  }
  return kept;
}

/**
 * Asserts that two backup folders of the same device hold the same backup: the same files, Manifest.db and every
 * hashed file byte-identical, the top-level plists equal but for their per-backup fields. Returns how many files
 * were compared byte for byte.
 */
export async function assertSameBackup(ours: string, theirs: string): Promise<number> {
  const files = await filesBelow(ours);
  assert.deepEqual(files, await filesBelow(theirs), `${ours} and ${theirs} hold different files`);
  let identical = 0;
  for (const file of files) {
    const [mine, other] = await Promise.all([fs.readFile(path.join(ours, file)), fs.readFile(path.join(theirs, file))]);
    if (file in PER_BACKUP_FIELDS) {
      assert.deepEqual(comparablePlist(file, mine), comparablePlist(file, other), `${file} differs beyond its per-backup fields`);
    } else {
      assert.ok(mine.equals(other), `${file} differs`);
      identical++;
    }
  }
  return identical;
}
