import * as path from 'node:path';
import { BackupError } from '../../common/errors';
import { buildBinaryPlist, buildXmlPlist, getArray, parsePlist } from '../../plist';
import { isPlistDict, setPlistEntry, type PlistDict, type PlistValue } from '../../plist/types';
import { isRegularFileError, readRegularFile } from './regularFile';

/** The two encodings a backup's plists come in. */
export type PlistFormat = 'xml' | 'binary';

/**
 * Parses a backup plist file (XML or binary) whose top level must be a dictionary.
 * `fileName` names the file in the error ("Cannot read Status.plist because …").
 */
export function parsePlistDocument(bytes: Buffer, fileName: string): PlistDict {
  if (bytes.length === 0) throw unreadablePlist(fileName, 'it is empty');
  let value: PlistValue;
  try {
    value = parsePlist(bytes);
  } catch (cause) {
    const detail = cause instanceof Error ? ` (${cause.message.replace(/\.$/, '')})` : '';
    throw unreadablePlist(fileName, `it is not a valid property list${detail}`, cause);
  }
  if (!isPlistDict(value)) throw unreadablePlist(fileName, 'its top level is not a dictionary');
  return value;
}

/** Encodes a dictionary as a plist file in the requested format. */
export function encodePlistDocument(dict: PlistDict, format: PlistFormat): Buffer {
  return format === 'xml' ? Buffer.from(buildXmlPlist(dict), 'utf8') : buildBinaryPlist(dict);
}

/** The BackupError code of a backup plist that is missing or cannot be read. */
export const PLIST_UNREADABLE_CODE = 'backup.plist-unreadable';

/** The error every backup plist reader raises for an essential problem. */
export function unreadablePlist(fileName: string, because: string, cause?: unknown): BackupError {
  return new BackupError(`Cannot read ${fileName} because ${because}.`, PLIST_UNREADABLE_CODE, undefined, { cause });
}

// Field reads use the plist module's get* accessors, which answer undefined for a missing key or a value
// of another type: real backups omit keys and occasionally change a key's type, and neither should make
// the whole file unreadable.

/** The string items of an array value (other items skipped), or undefined when not an array. */
export function getStringArray(dict: PlistDict, key: string): string[] | undefined {
  return getArray(dict, key)?.filter((item): item is string => typeof item === 'string');
}

/** One typed property of a plist dictionary: its key, its reader, and its writer when the value is not stored as it is. */
type PlistField<V> = readonly [key: string, read: (dict: PlistDict, key: string) => V | undefined, write?: (value: V) => PlistValue];

/** Every property of a typed plist but `otherKeys`, in the order the keys are written. */
export type PlistFields<T> = { readonly [K in Exclude<keyof T, 'otherKeys'>]-?: PlistField<Exclude<T[K], undefined>> };

/** A typed plist's two directions: keys it does not model travel in `otherKeys`, unchanged. */
export interface PlistRecord<T> {
  fromDict: (dict: PlistDict) => T;
  toDict: (value: T) => PlistDict;
}

/**
 * The typed reader and writer of a plist dictionary, from its field table. A missing key or a value of another
 * type reads as an absent property, and an absent property is left out when written.
 */
export function plistRecord<T extends { otherKeys?: PlistDict }>(fields: PlistFields<T>): PlistRecord<T> {
  const entries = Object.entries(fields) as [string, PlistField<unknown>][];
  const modelled = new Set(entries.map(([, [key]]) => key));
  return {
    fromDict(dict) {
      const value: Record<string, unknown> = {};
      for (const [property, [key, read]] of entries) {
        const field = read(dict, key);
        if (field !== undefined) value[property] = field;
      }
      const otherKeys: PlistDict = {};
      for (const [key, field] of Object.entries(dict)) if (!modelled.has(key)) setPlistEntry(otherKeys, key, field);
      if (Object.keys(otherKeys).length > 0) value.otherKeys = otherKeys;
      return value as T;
    },
    toDict(value) {
      const dict: PlistDict = { ...value.otherKeys };
      for (const [property, [key, , write]] of entries) {
        const field = (value as Record<string, unknown>)[property];
        if (field !== undefined) dict[key] = write ? write(field) : (field as PlistValue);
      }
      return dict;
    },
  };
}

/**
 * The largest backup plist read. Info.plist and Manifest.plist carry every app's metadata and icons, a few
 * MB on a full phone; a cap far above that keeps a crafted file from filling memory.
 */
export const BACKUP_PLIST_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Reads and parses a backup plist file; a missing or unreadable file is a BackupError naming it. Only a
 * regular file is read (no symlink, FIFO or folder), and one that is not is refused as such.
 */
export async function readPlistFile(filePath: string): Promise<PlistDict> {
  const fileName = path.basename(filePath);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(filePath, BACKUP_PLIST_MAX_BYTES, { describe: fileName });
  } catch (cause) {
    // A missing plist is an ordinary damaged backup; a FIFO, link or folder in its place is refused as it is.
    if (isRegularFileError(cause) && cause.kind === 'missing') throw unreadablePlist(fileName, `it does not exist in ${path.dirname(filePath)}`, cause);
    throw cause;
  }
  return parsePlistDocument(bytes, fileName);
}
