import * as assert from 'node:assert/strict';
import { buildBinaryPlist, parseBinaryPlist, PlistReal, PlistUid, type PlistDict, type PlistValue } from '../../../src/plist';
import { assembleBplist, libplistSample } from './plistTestHelpers';

/** bplist00 for {"a": 1}, spelled out from the format description. */
const TINY_DICT = Buffer.of(
  ...Buffer.from('bplist00', 'latin1'),
  0xd1, 0x01, 0x02, // offset 8: dict of 1 entry, key ref 1, value ref 2
  0x51, 0x61, //       offset 11: ASCII string "a"
  0x10, 0x01, //       offset 13: 1-byte int 1
  0x08, 0x0b, 0x0d, // offset 15: offset table, 1-byte entries
  0, 0, 0, 0, 0, 0, // trailer: unused, sort version
  0x01, 0x01, //       offset int size, object ref size
  0, 0, 0, 0, 0, 0, 0, 3, // number of objects
  0, 0, 0, 0, 0, 0, 0, 0, // top object
  0, 0, 0, 0, 0, 0, 0, 15, // offset table offset
);

/** What libplist 2.2 (`plistutil -f bin`) wrote for the same dict the XML tests use: UTF-16 text, 16-byte int, 0xF lengths. */
const LIBPLIST_BIN = Buffer.from(
  '62706c6973743030dd01030507090b0d0f111315171d020406080a0c0e10121416181e5361266257783c793e7a222751' +
    '655051644f1060000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728' +
    '292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758' +
    '595a5b5c5d5e5f5265644053617272a0526464d051722240400000527232233fb999999999999a536269671400000000' +
    '00000000ffffffffffffffff536e656713fffffffffffffffb5264743341c5ba6ed0000000516ea2191cd11a1b517809' +
    '08516a6565e5672c8a9ed83dde000823272f313234979a9b9fa0a3a4a6abaeb7bbccd0d9dce5e7eaedeff0f1f3000000' +
    '0000000101000000000000001f000000000000000000000000000000fe',
  'hex',
);

// libplist stored the real 3 as a 4-byte float (marker 0x22).
const LIBPLIST_VALUE = libplistSample(3);

/** The object bytes buildBinaryPlist wrote for a top-level value of one object. */
function soleObject(value: PlistValue): Buffer {
  const buf = buildBinaryPlist(value);
  return buf.subarray(8, buf.length - 32 - 1);
}

describe('plist/binaryPlist', () => {
  describe('interoperability fixtures', () => {
    it('reads a hand-written {"a": 1}', () => {
      assert.deepEqual(parseBinaryPlist(TINY_DICT), { a: 1 });
    });

    it('writes {"a": 1} byte for byte as the hand-written fixture', () => {
      assert.deepEqual(buildBinaryPlist({ a: 1 }), TINY_DICT);
    });

    it('reads libplist output (UTF-16BE, 4-byte real, 16-byte int, date, long data)', () => {
      assert.deepEqual(parseBinaryPlist(LIBPLIST_BIN), LIBPLIST_VALUE);
    });

    it('reads an NSKeyedArchiver-style UID and a 2-byte UID', () => {
      const buf = assembleBplist([
        [0xd2, 0x01, 0x02, 0x03, 0x04], // {root: uid, big: uid}
        [0x54, ...Buffer.from('root')],
        [0x53, ...Buffer.from('big')],
        [0x80, 0x05],
        [0x81, 0x01, 0x2c],
      ]);
      assert.deepEqual(parseBinaryPlist(buf), { root: new PlistUid(5), big: new PlistUid(300) });
    });

    it('reads every integer width and the 0xF length form', () => {
      const buf = assembleBplist([
        [0xa6, 1, 2, 3, 4, 5, 6],
        [0x10, 0xff],
        [0x11, 0x12, 0x34],
        [0x12, 0xff, 0xff, 0xff, 0xff],
        [0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
        [0x14, ...new Array<number>(8).fill(0xff), ...new Array<number>(7).fill(0xff), 0xfd], // 128-bit -3
        [0x5f, 0x10, 0x10, ...Buffer.from('sixteen chars!!!')],
      ]);
      assert.deepEqual(parseBinaryPlist(buf), [255, 0x1234, 0xffffffff, -2, -3, 'sixteen chars!!!']);
    });

    it('reads 2-byte object references and offsets', () => {
      const objects: number[][] = [[0xaf, 0x11, 0x01, 0x2c, ...Array.from({ length: 300 }, (_, i) => [(i + 1) >> 8, (i + 1) & 0xff]).flat()]];
      for (let i = 0; i < 300; i++) objects.push([0x11, i >> 8, i & 0xff]);
      const buf = assembleBplist(objects, { refSize: 2, offsetSize: 2 });
      assert.deepEqual(parseBinaryPlist(buf), Array.from({ length: 300 }, (_, i) => i));
    });

    it('reads dates as seconds since 2001-01-01 and 4-byte reals', () => {
      const date = Buffer.alloc(9);
      date[0] = 0x33;
      date.writeDoubleBE(-978307200, 1);
      const buf = assembleBplist([[0xa2, 1, 2], [...date], [0x22, 0x3f, 0xc0, 0x00, 0x00]]);
      assert.deepEqual(parseBinaryPlist(buf), [new Date(0), 1.5]);
    });
  });

  describe('writer', () => {
    it('writes integers in minimal width, negatives in 8 bytes and uint64 in 16', () => {
      assert.deepEqual(soleObject(0), Buffer.of(0x10, 0x00));
      assert.deepEqual(soleObject(255), Buffer.of(0x10, 0xff));
      assert.deepEqual(soleObject(256), Buffer.of(0x11, 0x01, 0x00));
      assert.deepEqual(soleObject(70000), Buffer.of(0x12, 0x00, 0x01, 0x11, 0x70));
      assert.deepEqual(soleObject(2 ** 32), Buffer.of(0x13, 0, 0, 0, 1, 0, 0, 0, 0));
      assert.deepEqual(soleObject(-1), Buffer.of(0x13, ...new Array<number>(8).fill(0xff)));
      assert.deepEqual(soleObject(2n ** 64n - 1n), Buffer.of(0x14, ...new Array<number>(8).fill(0), ...new Array<number>(8).fill(0xff)));
    });

    it('writes reals in 8 bytes, PlistReal as real even when integral', () => {
      assert.deepEqual(soleObject(1.5), Buffer.of(0x23, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0));
      assert.deepEqual(soleObject(new PlistReal(2)), Buffer.of(0x23, 0x40, 0, 0, 0, 0, 0, 0, 0));
    });

    it('writes ASCII strings as 0x5 and others as UTF-16BE code units', () => {
      assert.deepEqual(soleObject('ab'), Buffer.of(0x52, 0x61, 0x62));
      assert.deepEqual(soleObject('é😀'), Buffer.of(0x63, 0x00, 0xe9, 0xd8, 0x3d, 0xde, 0x00));
      assert.deepEqual(soleObject('x'.repeat(15)).subarray(0, 3), Buffer.of(0x5f, 0x10, 0x0f));
    });

    it('writes booleans, dates, data and UIDs with their markers', () => {
      assert.deepEqual(soleObject(true), Buffer.of(0x09));
      assert.deepEqual(soleObject(false), Buffer.of(0x08));
      assert.deepEqual(soleObject(new Date('2001-01-01T00:00:01Z')), Buffer.of(0x33, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0));
      assert.deepEqual(soleObject(Buffer.of(1, 2)), Buffer.of(0x42, 1, 2));
      assert.deepEqual(soleObject(new PlistUid(1)), Buffer.of(0x80, 0x01));
      assert.deepEqual(soleObject(new PlistUid(0x1234)), Buffer.of(0x81, 0x12, 0x34));
    });

    it('shares equal strings and chooses minimal reference and offset sizes', () => {
      const small = buildBinaryPlist([{ k: 'v' }, { k: 'v' }]);
      assert.equal(small.readBigUInt64BE(small.length - 24), 5n); // array, 2 dicts, "k", "v"
      assert.deepEqual([small[small.length - 26], small[small.length - 25]], [1, 1]);
      const large = buildBinaryPlist(Array.from({ length: 300 }, (_, i) => i));
      assert.deepEqual([large[large.length - 26], large[large.length - 25]], [2, 2]);
    });

    it('refuses values it cannot represent', () => {
      const cyclic: PlistDict = {};
      cyclic.self = cyclic;
      assert.throws(() => buildBinaryPlist(cyclic), TypeError);
      assert.throws(() => buildBinaryPlist(undefined as unknown as PlistValue), TypeError);
      assert.throws(() => buildBinaryPlist(-(2n ** 63n) - 1n), RangeError);
      assert.throws(() => buildBinaryPlist(new PlistUid(-1)), RangeError);
    });
  });

  describe('round trip', () => {
    const cases: Array<[string, PlistValue]> = [
      ['ASCII string', 'hello'],
      ['empty string', ''],
      ['Japanese', '日本語のテキスト'],
      ['emoji', '👍🏽 🇯🇵 😀'],
      ['Latin-1 above ASCII', 'café'],
      ['long string', 'x'.repeat(70000)],
      ['small integers', [0, 1, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32]],
      ['safe integer edges', [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]],
      ['negative integers', [-1, -255, -65536, -(2 ** 40)]],
      ['bigints', [2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 63n)]],
      ['reals', [0.5, -1.25, 1e300, 5e-324, Infinity, -Infinity]],
      ['booleans', [true, false]],
      ['dates', [new Date('2024-02-08T10:00:00Z'), new Date('1970-01-01T00:00:00.123Z'), new Date('1900-06-15T12:34:56.789Z')]],
      ['data', [Buffer.alloc(0), Buffer.of(0, 255), Buffer.alloc(1000, 7)]],
      ['UIDs', [new PlistUid(0), new PlistUid(255), new PlistUid(65536), new PlistUid(2 ** 40)]],
      ['empty containers', [[], {}]],
      ['nested', { a: [1, { b: [[], {}, 'c'], d: Buffer.of(9) }], e: { f: { g: false } }, 日本: { '😀': 'ok' } }],
      ['many entries', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`key${i}`, i % 2 ? `v${i}` : i]))],
    ];
    for (const [name, value] of cases) {
      it(name, () => assert.deepEqual(parseBinaryPlist(buildBinaryPlist(value)), value));
    }

    it('NaN survives as NaN and PlistReal comes back as a plain number', () => {
      assert.ok(Number.isNaN(parseBinaryPlist(buildBinaryPlist(NaN))));
      assert.equal(parseBinaryPlist(buildBinaryPlist(new PlistReal(4))), 4);
    });

    it('a shared subtree is read as two equal, independent values', () => {
      const shared = assembleBplist([[0xa2, 1, 1], [0xa1, 2], [0x10, 0x07]]);
      const value = parseBinaryPlist(shared) as PlistValue[][];
      assert.deepEqual(value, [[7], [7]]);
      assert.notEqual(value[0], value[1]);
    });
  });
});
