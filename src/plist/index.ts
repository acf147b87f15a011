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

/** The string at key, if it is one. */
export function getString(dict: PlistDict, key: string): string | undefined {
  const v = own(dict, key);
  return typeof v === 'string' ? v : undefined;
}

/** The integer at key as a number (a bigint within the safe range is converted), if it is one. */
export function getInteger(dict: PlistDict, key: string): number | undefined {
  const v = own(dict, key);
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return undefined;
}

/** The boolean at key, if it is one. */
export function getBoolean(dict: PlistDict, key: string): boolean | undefined {
  const v = own(dict, key);
  return typeof v === 'boolean' ? v : undefined;
}

/** The data at key as a Buffer, if it is one. */
export function getData(dict: PlistDict, key: string): Buffer | undefined {
  const v = own(dict, key);
  return Buffer.isBuffer(v) ? v : undefined;
}

/** The date at key, if it is one. */
export function getDate(dict: PlistDict, key: string): Date | undefined {
  const v = own(dict, key);
  return v instanceof Date ? v : undefined;
}

/** The dictionary at key, if it is one. */
export function getDict(dict: PlistDict, key: string): PlistDict | undefined {
  const v = own(dict, key);
  return isPlistDict(v) ? v : undefined;
}

/** The array at key, if it is one. */
export function getArray(dict: PlistDict, key: string): PlistValue[] | undefined {
  const v = own(dict, key);
  return Array.isArray(v) ? v : undefined;
}

function required<T>(value: T | undefined, key: string, expected: string, what: string): T {
  if (value === undefined) throw new PlistFormatError(`Expected "${key}" in ${what} to be ${expected}.`);
  return value;
}

/** The string at key, or a PlistFormatError naming the key and `what` (e.g. "the lockdown reply"). */
export function requireString(dict: PlistDict, key: string, what: string): string {
  return required(getString(dict, key), key, 'a string', what);
}

/** The integer at key (see getInteger), or a PlistFormatError naming the key. */
export function requireInteger(dict: PlistDict, key: string, what: string): number {
  return required(getInteger(dict, key), key, 'an integer', what);
}

/** The boolean at key, or a PlistFormatError naming the key. */
export function requireBoolean(dict: PlistDict, key: string, what: string): boolean {
  return required(getBoolean(dict, key), key, 'a boolean', what);
}

/** The data at key, or a PlistFormatError naming the key. */
export function requireData(dict: PlistDict, key: string, what: string): Buffer {
  return required(getData(dict, key), key, 'data', what);
}

/** The date at key, or a PlistFormatError naming the key. */
export function requireDate(dict: PlistDict, key: string, what: string): Date {
  return required(getDate(dict, key), key, 'a date', what);
}

/** The dictionary at key, or a PlistFormatError naming the key. */
export function requireDict(dict: PlistDict, key: string, what: string): PlistDict {
  return required(getDict(dict, key), key, 'a dictionary', what);
}

/** The array at key, or a PlistFormatError naming the key. */
export function requireArray(dict: PlistDict, key: string, what: string): PlistValue[] {
  return required(getArray(dict, key), key, 'an array', what);
}
