import * as fc from 'fast-check';

/** One object of a hand-assembled binary plist: a container marker with references, or raw leaf bytes. */
type RawObject = { kind: 'container'; marker: number; refs: number[] } | { kind: 'leaf'; bytes: Uint8Array };

/**
 * Binary plists assembled object by object with random markers and references that may point anywhere,
 * including back up the tree (cycles) and many times at one object (expansion): the shapes a writer never
 * makes and mutation of real files rarely reaches.
 */
export function rawBinaryPlistArbitrary(): fc.Arbitrary<Buffer> {
  const object: fc.Arbitrary<RawObject> = fc.oneof(
    fc.record({ kind: fc.constant('container' as const), marker: fc.constantFrom(0xa0, 0xd0), refs: fc.array(fc.nat(40), { maxLength: 14 }) }),
    fc.record({ kind: fc.constant('leaf' as const), bytes: fc.oneof(fc.constantFrom(...LEAVES), fc.uint8Array({ minLength: 1, maxLength: 12 })) }),
  );
  return fc
    .record({ objects: fc.array(object, { minLength: 1, maxLength: 40 }), top: fc.nat(40), offsetSize: fc.constantFrom(1, 2, 4, 8), badTrailer: fc.boolean() })
    .map(({ objects, top, offsetSize, badTrailer }) => assemble(objects, top % objects.length, offsetSize, badTrailer));
}

const LEAVES = [
  Uint8Array.of(0x08),
  Uint8Array.of(0x09),
  Uint8Array.of(0x10, 0x7f),
  Uint8Array.of(0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  Uint8Array.of(0x14, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
  Uint8Array.of(0x23, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0),
  Uint8Array.of(0x33, 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  Uint8Array.of(0x52, 0x41, 0x42),
  Uint8Array.of(0x5f, 0x10, 0x02, 0x41, 0x42),
  Uint8Array.of(0x61, 0xd8, 0x00),
  Uint8Array.of(0x42, 0x00, 0x01),
  Uint8Array.of(0x80, 0x05),
  Uint8Array.of(0x4f, 0x13, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
];

function assemble(objects: RawObject[], top: number, offsetSize: number, badTrailer: boolean): Buffer {
  const parts: Buffer[] = [Buffer.from('bplist00', 'latin1')];
  const offsets: number[] = [];
  let pos = 8;
  for (const object of objects) {
    offsets.push(pos);
    const bytes =
      object.kind === 'leaf'
        ? Buffer.from(object.bytes)
        : Buffer.from([object.marker | (object.marker === 0xd0 ? object.refs.length >> 1 : object.refs.length), ...object.refs]);
    parts.push(bytes);
    pos += bytes.length;
  }
  const table = Buffer.alloc(offsets.length * offsetSize);
  offsets.forEach((offset, i) => table.writeUIntBE(offset, i * offsetSize + offsetSize - Math.min(offsetSize, 6), Math.min(offsetSize, 6)));
  const trailer = Buffer.alloc(32);
  trailer[6] = offsetSize;
  trailer[7] = 1;
  trailer.writeBigUInt64BE(BigInt(badTrailer ? objects.length + 3 : objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(pos), 24);
  return Buffer.concat([...parts, table, trailer]);
}
