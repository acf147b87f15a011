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
