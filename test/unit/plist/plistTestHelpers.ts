import * as assert from 'node:assert/strict';
import { isPlistFormatError } from '../../../src/plist';

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
