import * as path from 'node:path';
import type { PlistDict } from '../../plist';
import { encodePlistDocument, parsePlistDocument, readPlistFile, type PlistFormat } from './plistDocument';

/** How one typed plist of a backup folder is named, mapped to and from its dictionary, and usually encoded. */
export interface BackupPlistFileSpec<T> {
  /** The file name, which also names the file in every error ("Cannot read Status.plist because …"). */
  fileName: string;
  /** The typed value of a dictionary read from the file. */
  fromDict: (dict: PlistDict) => T;
  /** The dictionary to write for a typed value. */
  toDict: (value: T) => PlistDict;
  /** The encoding the file's usual writer (host or device) uses. */
  usualFormat: PlistFormat;
}

/** Reading and writing one typed plist of a backup folder (plain functions, free to be destructured: no `this`). */
export interface BackupPlistFile<T> {
  /** Parses the file's bytes (XML or binary); only a file that is not a plist dictionary is an error. */
  parse: (bytes: Buffer) => T;
  /** Reads the file from a backup folder; a missing or unreadable file is a BackupError naming it. */
  read: (backupDir: string) => Promise<T>;
  /** Encodes a value, in the usual encoding unless another is asked for. */
  encode: (value: T, format?: PlistFormat) => Buffer;
}

/** The reader and writer of one typed backup plist, from its spec. */
export function backupPlistFile<T>(spec: BackupPlistFileSpec<T>): BackupPlistFile<T> {
  return {
    parse: (bytes) => spec.fromDict(parsePlistDocument(bytes, spec.fileName)),
    read: async (backupDir) => spec.fromDict(await readPlistFile(path.join(backupDir, spec.fileName))),
    encode: (value, format = spec.usualFormat) => encodePlistDocument(spec.toDict(value), format),
  };
}
