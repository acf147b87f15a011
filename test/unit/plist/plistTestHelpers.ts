import * as assert from 'node:assert/strict';
import { isPlistFormatError, type PlistValue } from '../../../src/plist';

/** Asserts that fn throws a PlistFormatError (and nothing else), optionally matching its message. */
export function assertFormatError(fn: () => unknown, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isPlistFormatError(error), `expected a PlistFormatError, got ${String(error)}`);
    if (message) assert.match(error.message, message);
    return true;
  });
}

export interface AssembleOptions {
  top?: number;
  refSize?: number;
  offsetSize?: number;
  /** Overrides the object count written into the trailer. */
  count?: number | bigint;
  /** Overrides the offset-table offset written into the trailer. */
  tableOffset?: number | bigint;
  /** Overrides individual offset-table entries. */
  offsets?: Record<number, number>;
}

/**
 * Lays out hand-written object bytes as a bplist00 file (header, objects in order, offset table,
 * trailer) so fixtures can be spelled byte by byte and trailers bent for the malformed cases.
 */
export function assembleBplist(objects: number[][], options: AssembleOptions = {}): Buffer {
  const { top = 0, refSize = 1, offsetSize = 1 } = options;
  const parts: Buffer[] = [Buffer.from('bplist00', 'latin1')];
  const offsets: number[] = [];
  let pos = 8;
  for (const bytes of objects) {
    offsets.push(options.offsets?.[offsets.length] ?? pos);
    parts.push(Buffer.from(bytes));
    pos += bytes.length;
  }
  const table = Buffer.alloc(offsets.length * offsetSize);
  offsets.forEach((offset, i) => table.writeUIntBE(offset, i * offsetSize, offsetSize));
  const trailer = Buffer.alloc(32);
  trailer[6] = offsetSize;
  trailer[7] = refSize;
  trailer.writeBigUInt64BE(BigInt(options.count ?? objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(options.tableOffset ?? pos), 24);
  return Buffer.concat([...parts, table, trailer]);
}

/** 96 bytes 0x00..0x5f: long enough that a data element spans lines. */
export const BYTES_96 = Buffer.from(Array.from({ length: 96 }, (_, i) => i));

/** The dictionary the libplist interop fixtures hold (escapes, empty forms, 64-bit extremes, a date, non-ASCII), with its real `r`. */
export function libplistSample(r: number): PlistValue {
  return {
    'a&b': `x<y>z"'`,
    e: '',
    d: BYTES_96,
    ed: Buffer.alloc(0),
    arr: [],
    dd: {},
    r,
    r2: 0.1,
    big: 18446744073709551615n,
    neg: -5,
    dt: new Date('2024-02-08T10:00:00Z'),
    n: [{ x: true }, false],
    j: '日本語😀',
  };
}
