/** A property-list value as the codecs in this folder read and write it. */
export type PlistValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Buffer
  | PlistReal
  | PlistUid
  | PlistValue[]
  | PlistDict;

/** A plist dictionary: string keys, plist values. */
export interface PlistDict {
  [key: string]: PlistValue;
}

/**
 * Forces a value to be written as <real> even when it is integral (JS numbers that are
 * integers are written as <integer> otherwise). Parsers return reals as plain numbers.
 */
export class PlistReal {
  constructor(readonly value: number) {}
}

/** An NSKeyedArchiver object reference (binary plists only, type 0x8). */
export class PlistUid {
  constructor(readonly value: number) {}
}

/** True when the value is a plist dictionary (not an array, buffer, date or wrapper). */
export function isPlistDict(value: PlistValue | undefined): value is PlistDict {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !Buffer.isBuffer(value) &&
    !(value instanceof Date) &&
    !(value instanceof PlistReal) &&
    !(value instanceof PlistUid)
  );
}

/** Smallest integer a plist can hold: the int64 minimum (Apple and libplist store integers as 64 bits). */
export const PLIST_INTEGER_MIN = -(2n ** 63n);

/** Largest integer a plist can hold: the uint64 maximum (written as a 128-bit int in binary plists). */
export const PLIST_INTEGER_MAX = 2n ** 64n - 1n;

/**
 * The integer a number or bigint is written as, or undefined when the writers must use a real:
 * JS numbers carry no integer/real flag, so integral numbers inside the 64-bit range count as integers.
 */
export function plistIntegerOf(value: number | bigint): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (!Number.isInteger(value)) return undefined;
  const big = BigInt(value);
  return big >= PLIST_INTEGER_MIN && big <= PLIST_INTEGER_MAX ? big : undefined;
}

/** The value parsers return for an integer: a number when it is exact as one, a bigint otherwise. */
export function plistIntegerValue(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** Stores a dictionary entry as an own property, so keys such as "__proto__" from untrusted input stay plain data. */
export function setPlistEntry(dict: PlistDict, key: string, value: PlistValue): void {
  // Only "__proto__" is special on assignment; defining every key would push objects into slow dictionary mode.
  if (key === '__proto__') Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
  else dict[key] = value;
}
