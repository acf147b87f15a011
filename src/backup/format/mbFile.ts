import { BackupError } from '../../common/errors';
import { buildBinaryPlist, parsePlist } from '../../plist';
import { PlistUid, isPlistDict, type PlistDict, type PlistValue } from '../../plist/types';

/** The metadata of one backed-up item, as stored in the `file` column of Manifest.db. */
export interface MbFileRecord {
  relativePath: string;
  /** Plaintext size in bytes (may be stale: the bytes on disk are what counts). */
  size: number;
  /** POSIX mode: type bits (0o100000 file, 0o040000 directory, 0o120000 symlink) and permissions. */
  mode: number;
  userId?: number;
  groupId?: number;
  inodeNumber?: number;
  /** Unix seconds. */
  birth?: number;
  /** Unix seconds. */
  lastModified?: number;
  /** Unix seconds. */
  lastStatusChange?: number;
  flags?: number;
  protectionClass?: number;
  /** Encrypted backups: 4-byte little-endian protection class + 40-byte wrapped file key. */
  encryptionKey?: Buffer;
  /** Symlinks: the link target. */
  target?: string;
  /** The archived extended-attribute bytes, kept opaque. */
  extendedAttributes?: Buffer;
}

/** What kind of item a POSIX mode describes. */
export type MbFileKind = 'file' | 'directory' | 'symlink' | 'other';

const ARCHIVER_NAME = 'NSKeyedArchiver';
const ARCHIVER_VERSION = 100000;
const MBFILE_CLASS: PlistDict = { $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] };
const MUTABLE_DATA_CLASS: PlistDict = { $classname: 'NSMutableData', $classes: ['NSMutableData', 'NSData', 'NSObject'] };

// MBFile integer fields: archive key → record key. Size and Mode are required, the rest optional.
const OPTIONAL_INTEGER_FIELDS = [
  ['UserID', 'userId'],
  ['GroupID', 'groupId'],
  ['InodeNumber', 'inodeNumber'],
  ['Birth', 'birth'],
  ['LastModified', 'lastModified'],
  ['LastStatusChange', 'lastStatusChange'],
  ['Flags', 'flags'],
  ['ProtectionClass', 'protectionClass'],
] as const;

/** Classifies a POSIX mode by its type bits (S_IFMT). */
export function mbFileKindFromMode(mode: number): MbFileKind {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

/** Decodes an MBFile NSKeyedArchiver blob, validating every reference (the blob is untrusted). */
export function decodeMbFile(blob: Uint8Array): MbFileRecord {
  let archive: PlistValue;
  try {
    archive = parsePlist(Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
  } catch (cause) {
    throw malformed('it is not a property list', cause);
  }
  if (!isPlistDict(archive)) throw malformed('its top level is not a dictionary');
  if (archive.$archiver !== ARCHIVER_NAME) throw malformed(`its $archiver is ${describe(archive.$archiver)}, not NSKeyedArchiver`);
  const objects = archive.$objects;
  if (!Array.isArray(objects)) throw malformed('it has no $objects array');
  const top = archive.$top;
  if (!isPlistDict(top) || !(top.root instanceof PlistUid)) throw malformed('$top.root is not an object reference');

  const archived = new ArchivedObjects(objects);
  const root = archived.resolve(top.root, '$top.root');
  if (!isPlistDict(root)) throw malformed('its root object is not a dictionary');
  const className = archived.classNameOf(root, 'the root object');
  if (className !== 'MBFile') throw malformed(`its root object is of class ${describe(className)}, not MBFile`);

  const relativePath = archived.string(root.RelativePath, 'RelativePath');
  if (relativePath === undefined) throw malformed('RelativePath is missing');
  const record: MbFileRecord = {
    relativePath,
    size: requiredInteger(root, 'Size'),
    mode: requiredInteger(root, 'Mode'),
  };
  for (const [archiveKey, recordKey] of OPTIONAL_INTEGER_FIELDS) {
    const value = optionalInteger(root, archiveKey);
    if (value !== undefined) record[recordKey] = value;
  }
  const encryptionKey = archived.data(root.EncryptionKey, 'EncryptionKey');
  if (encryptionKey === undefined && root.EncryptionKey !== undefined && !archived.isNull(root.EncryptionKey)) {
    throw malformed('EncryptionKey is neither data nor an NSData object');
  }
  if (encryptionKey !== undefined) record.encryptionKey = encryptionKey;
  const target = archived.string(root.Target, 'Target');
  if (target !== undefined) record.target = target;
  // Extended attributes are opaque to us; an unfamiliar but well-formed shape is skipped rather than
  // making the whole record unreadable.
  const extendedAttributes = archived.data(root.ExtendedAttributes, 'ExtendedAttributes');
  if (extendedAttributes !== undefined) record.extendedAttributes = extendedAttributes;
  return record;
}

/** Encodes an MBFile record as the binary NSKeyedArchiver plist a device writes into Manifest.db. */
export function encodeMbFile(record: MbFileRecord): Buffer {
  // Layout: $null, the MBFile object, its strings, data objects with their class, the MBFile class last.
  const objects: PlistValue[] = ['$null'];
  const add = (value: PlistValue): PlistUid => {
    objects.push(value);
    return new PlistUid(objects.length - 1);
  };
  const mbFile: PlistDict = {};
  add(mbFile);
  mbFile.RelativePath = add(record.relativePath);
  mbFile.Size = record.size;
  mbFile.Mode = record.mode;
  for (const [archiveKey, recordKey] of OPTIONAL_INTEGER_FIELDS) {
    const value = record[recordKey];
    if (value !== undefined) mbFile[archiveKey] = value;
  }
  if (record.target !== undefined) mbFile.Target = add(record.target);

  let mutableDataClass: PlistUid | undefined;
  const addData = (bytes: Buffer): PlistUid => {
    const dataObject: PlistDict = { 'NS.data': Buffer.from(bytes) };
    const reference = add(dataObject);
    mutableDataClass ??= add(MUTABLE_DATA_CLASS);
    dataObject.$class = mutableDataClass;
    return reference;
  };
  if (record.encryptionKey !== undefined) mbFile.EncryptionKey = addData(record.encryptionKey);
  if (record.extendedAttributes !== undefined) mbFile.ExtendedAttributes = addData(record.extendedAttributes);
  mbFile.$class = add(MBFILE_CLASS);

  return buildBinaryPlist({
    $version: ARCHIVER_VERSION,
    $archiver: ARCHIVER_NAME,
    $top: { root: new PlistUid(1) },
    $objects: objects,
  });
}

/** Lookup of `$objects` entries by UID, with bounds and shape checks. */
class ArchivedObjects {
  constructor(private readonly objects: PlistValue[]) {}

  resolve(uid: PlistUid, what: string): PlistValue {
    const index = uid.value;
    if (!Number.isInteger(index) || index < 0 || index >= this.objects.length) {
      throw malformed(`${what} refers to object ${index}, but $objects has ${this.objects.length} entries`);
    }
    return this.objects[index];
  }

  /** True for a missing value or a reference to `$null` (index 0). */
  isNull(value: PlistValue | undefined): boolean {
    return value === undefined || (value instanceof PlistUid && value.value === 0);
  }

  classNameOf(object: PlistDict, what: string): string | undefined {
    if (!(object.$class instanceof PlistUid)) throw malformed(`${what} has no $class reference`);
    const classInfo = this.resolve(object.$class, `the $class of ${what}`);
    if (!isPlistDict(classInfo)) throw malformed(`the $class of ${what} is not a class description`);
    return typeof classInfo.$classname === 'string' ? classInfo.$classname : undefined;
  }

  /** A string field: inline or by reference; undefined when absent or `$null`. */
  string(value: PlistValue | undefined, field: string): string | undefined {
    if (this.isNull(value)) return undefined;
    const resolved = value instanceof PlistUid ? this.resolve(value, field) : value;
    if (typeof resolved !== 'string') throw malformed(`${field} is ${describe(resolved)}, not a string`);
    return resolved;
  }

  /** A data field: inline bytes, or a reference to bytes or an NSData-like `{ NS.data }` object. */
  data(value: PlistValue | undefined, field: string): Buffer | undefined {
    if (this.isNull(value)) return undefined;
    const resolved = value instanceof PlistUid ? this.resolve(value, field) : value;
    if (Buffer.isBuffer(resolved)) return resolved;
    if (isPlistDict(resolved) && Buffer.isBuffer(resolved['NS.data'])) return resolved['NS.data'];
    return undefined;
  }
}

function requiredInteger(object: PlistDict, key: string): number {
  const value = optionalInteger(object, key);
  if (value === undefined) throw malformed(`${key} is missing`);
  return value;
}

function optionalInteger(object: PlistDict, key: string): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw malformed(`${key} (${value}) is too large`);
    }
    return Number(value);
  }
  // Some writers store timestamps as reals; whole seconds are what the format means.
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  throw malformed(`${key} is ${describe(value)}, not an integer`);
}

function describe(value: PlistValue | undefined): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Buffer.isBuffer(value)) return 'data';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (value instanceof PlistUid) return 'an object reference';
  if (isPlistDict(value)) return 'a dictionary';
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return 'a real';
}

function malformed(because: string, cause?: unknown): BackupError {
  return new BackupError(`Cannot read an MBFile record because ${because}.`, 'backup.mbfile-malformed', undefined, {
    cause,
  });
}
