import { parseBinaryPlist } from './binaryPlist';
import { PlistFormatError } from './plistFormatError';
import { isPlistDict, type PlistDict, type PlistValue } from './types';
import { parseXmlPlist } from './xmlPlist';

export * from './types';
export { PlistFormatError, isPlistFormatError } from './plistFormatError';
export { PLIST_MAX_DEPTH, PLIST_MAX_OBJECTS } from './limits';
export { parseBinaryPlist, buildBinaryPlist } from './binaryPlist';
export { parseXmlPlist, buildXmlPlist } from './xmlPlist';

/** Parses a binary ("bplist00") or XML property list, telling them apart by their first bytes. */
export function parsePlist(buf: Buffer): PlistValue {
  let start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (start < buf.length && (buf[start] === 0x20 || buf[start] === 0x09 || buf[start] === 0x0a || buf[start] === 0x0d)) start++;
  if (buf.toString('latin1', start, start + 6) === 'bplist') return parseBinaryPlist(start === 0 ? buf : buf.subarray(start));
  if (buf[start] === 0x3c /* < */) return parseXmlPlist(buf);
  throw new PlistFormatError('The data is not a property list.');
}

// ---------------------------------------------------------------------------------------------
// Typed accessors for untrusted shapes. The get* forms return undefined for a missing key or a
// value of another type; the require* forms throw a PlistFormatError naming the key instead.
// Only own properties are read, so keys such as "constructor" or "__proto__" never reach Object.prototype.

function own(dict: PlistDict, key: string): PlistValue | undefined {
  return Object.hasOwn(dict, key) ? dict[key] : undefined;
}

/** Returns the value as a dictionary, or throws a PlistFormatError saying what was expected. */
export function expectDict(value: PlistValue | undefined, what: string): PlistDict {
  if (!isPlistDict(value)) throw new PlistFormatError(`Expected ${what} to be a dictionary.`);
  return value;
}

/** An accessor that answers the value at key when `is` accepts its type, else undefined. */
function accessor<T extends PlistValue>(is: (value: PlistValue | undefined) => boolean): (dict: PlistDict, key: string) => T | undefined {
  return (dict, key) => {
    const value = own(dict, key);
    return is(value) ? (value as T) : undefined;
  };
}

/** The string at key, if it is one. */
export const getString = accessor<string>((v) => typeof v === 'string');
/** The boolean at key, if it is one. */
export const getBoolean = accessor<boolean>((v) => typeof v === 'boolean');
/** The data at key as a Buffer, if it is one. */
export const getData = accessor<Buffer>((v) => Buffer.isBuffer(v));
/** The date at key, if it is one. */
export const getDate = accessor<Date>((v) => v instanceof Date);
/** The dictionary at key, if it is one. */
export const getDict = accessor<PlistDict>(isPlistDict);
/** The array at key, if it is one. */
export const getArray = accessor<PlistValue[]>(Array.isArray);

/** The integer at key as a number (a bigint within the safe range is converted), if it is one. */
export function getInteger(dict: PlistDict, key: string): number | undefined {
  const v = own(dict, key);
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return undefined;
}

/** The get* accessor's require* form: a PlistFormatError naming the key and `what` (e.g. "the lockdown reply") instead of undefined. */
function required<T>(get: (dict: PlistDict, key: string) => T | undefined, expected: string): (dict: PlistDict, key: string, what: string) => T {
  return (dict, key, what) => {
    const value = get(dict, key);
    if (value === undefined) throw new PlistFormatError(`Expected "${key}" in ${what} to be ${expected}.`);
    return value;
  };
}

/** The string at key, or a PlistFormatError naming the key and `what` (e.g. "the lockdown reply"). */
export const requireString = required(getString, 'a string');
/** The integer at key (see getInteger), or a PlistFormatError naming the key. */
export const requireInteger = required(getInteger, 'an integer');
/** The boolean at key, or a PlistFormatError naming the key. */
export const requireBoolean = required(getBoolean, 'a boolean');
/** The data at key, or a PlistFormatError naming the key. */
export const requireData = required(getData, 'data');
/** The date at key, or a PlistFormatError naming the key. */
export const requireDate = required(getDate, 'a date');
/** The dictionary at key, or a PlistFormatError naming the key. */
export const requireDict = required(getDict, 'a dictionary');
/** The array at key, or a PlistFormatError naming the key. */
export const requireArray = required(getArray, 'an array');
