import * as assert from 'node:assert/strict';
import {
  buildBinaryPlist,
  buildXmlPlist,
  isPlistFormatError,
  parseBinaryPlist,
  parsePlist,
  parseXmlPlist,
  PlistFormatError,
  PlistUid,
  type PlistValue,
} from '../../../src/plist';
import { ProtocolError } from '../../../src/common/errors';
import { SeededRandom } from '../../../src/simulator/dataset/seededRandom';
import { assembleBplist, assertFormatError } from './plistTestHelpers';

/** Chains `levels` one-element arrays (object i holds object i+1), ending in an empty array. */
function nestedArrays(levels: number): Buffer {
  const objects: number[][] = [];
  for (let i = 0; i < levels - 1; i++) objects.push([0xa1, (i + 1) >> 8, (i + 1) & 0xff]);
  objects.push([0xa0]);
  return assembleBplist(objects, { refSize: 2, offsetSize: 4 });
}

/** Parses the input and accepts a value or a PlistFormatError, nothing else (a crash or a TypeError fails). */
function parsesOrRefuses(parse: () => unknown, what: string): void {
  try {
    parse();
  } catch (error) {
    assert.ok(isPlistFormatError(error), `${what}: ${String(error)}`);
  }
}

const SAMPLE: PlistValue = {
  name: 'iPhone 日本',
  list: [1, -2, 2n ** 64n - 1n, 1.5, true, new Date('2024-02-08T10:00:00Z'), Buffer.from('data'), new PlistUid(3)],
  nested: { a: { b: ['c', {}, []] } },
};

describe('plist/malformed input', () => {
  it('PlistFormatError is a ProtocolError from the peer "plist"', () => {
    const error = new PlistFormatError('Bad.');
    assert.ok(error instanceof ProtocolError);
    assert.equal(error.peer, 'plist');
    assert.equal(error.code, 'protocol');
    assert.equal(error.name, 'PlistFormatError');
    assert.ok(isPlistFormatError(error));
    assert.ok(!isPlistFormatError(new Error('x')));
  });

  describe('binary', () => {
    const valid = assembleBplist([[0xa1, 1], [0x10, 0x05]]);

    it('the baseline fixture is valid', () => assert.deepEqual(parseBinaryPlist(valid), [5]));

    it('too short or wrong header', () => {
      assertFormatError(() => parseBinaryPlist(Buffer.alloc(0)), /too short/);
      assertFormatError(() => parseBinaryPlist(valid.subarray(0, 20)), /too short/);
      const header = Buffer.from(valid);
      header.write('bplist15', 0, 'latin1');
      assertFormatError(() => parseBinaryPlist(header), /header/);
    });

    it('bad trailer sizes', () => {
      for (const [index, byte] of [[6, 0], [6, 9], [7, 0], [7, 9]]) {
        const bad = Buffer.from(valid);
        bad[bad.length - 32 + index] = byte;
        assertFormatError(() => parseBinaryPlist(bad), /size in the trailer/);
      }
    });

    it('object count zero, over the limit, or beyond 64-bit safe range', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { count: 0 })), /no objects/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { count: 4_000_001 })), /more than 4000000 objects/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { count: 2n ** 64n - 1n })), /too large/);
    });

    it('top object out of range', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { top: 1 })), /top object/);
    });

    it('offset table outside the file or overlapping the trailer', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { tableOffset: 1000 })), /offset table/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { tableOffset: 2 })), /offset table/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09], [0x08]], { count: 3 })), /offset table/);
    });

    it('object offsets out of range', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { offsets: { 0: 3 } })), /offset is out of range/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x09]], { offsets: { 0: 9 } })), /offset is out of range/);
    });

    it('object references out of range', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0xa1, 0x07]])), /reference is out of range/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0xd1, 0x01, 0x09], [0x51, 0x61]])), /reference is out of range/);
    });

    it('lengths past the buffer', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x5f, 0x10, 0xff, 0x61]])), /past/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x4f, 0x13, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]])), /past/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x63, 0x00, 0x61]])), /past/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0xaf, 0x12, 0x7f, 0xff, 0xff, 0xff, 0x00]])), /past/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x13, 0x00, 0x00]])), /past/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x23, 0x00]])), /past/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x4f]])), /past/);
    });

    it('length not given by an integer, or one wider than 8 bytes', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x5f, 0x23, 0, 0, 0, 0, 0, 0, 0, 0]])), /length/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x5f, 0x14, ...new Array<number>(16).fill(0)]])), /length/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x5f, 0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]])), /too large/);
    });

    it('an array or dict containing itself, directly or indirectly', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0xa1, 0x00]])), /contains itself/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0xa1, 0x01], [0xa1, 0x02], [0xd1, 0x03, 0x00], [0x51, 0x6b]])), /contains itself/);
    });

    it('nesting deeper than 512 (and exactly 512 is fine)', () => {
      let value = parseBinaryPlist(nestedArrays(512));
      for (let depth = 1; depth < 512; depth++) value = (value as PlistValue[])[0];
      assert.deepEqual(value, []);
      assertFormatError(() => parseBinaryPlist(nestedArrays(513)), /deeper than 512/);
      assertFormatError(() => parseBinaryPlist(nestedArrays(60000)), /deeper than 512/);
    });

    it('shared references that would expand past 4,000,000 values', function () {
      // Each of 40 arrays holds the next one twice: 41 objects on disk, 2^40 values once expanded.
      const objects: number[][] = [];
      for (let i = 0; i < 40; i++) objects.push([0xa2, i + 1, i + 1]);
      objects.push([0x09]);
      const started = Date.now();
      assertFormatError(() => parseBinaryPlist(assembleBplist(objects)), /expand it to more than \d+ values/);
      assert.ok(Date.now() - started < 1000, 'the expansion limit stops the parse early');
    });

    it('shared references that expand a few hundred bytes into more values than the file has bytes (found by fuzzing)', () => {
      // 13 arrays of three references to the next: 189 bytes that used to become 1.6 million values
      // (2 s and 150 MB) without reaching the absolute limit.
      const objects: number[][] = [];
      for (let i = 0; i < 13; i++) objects.push([0xa3, i + 1, i + 1, i + 1]);
      objects.push([0x10, 0x01]);
      const bytes = assembleBplist(objects);
      assertFormatError(() => parseBinaryPlist(bytes), new RegExp(`more than ${bytes.length} values`));
    });

    it('unknown or unsupported markers', () => {
      for (const marker of [0x00, 0x0f, 0x01, 0x70, 0x90, 0xb0, 0xc0, 0xe0, 0xf0]) {
        assertFormatError(() => parseBinaryPlist(assembleBplist([[marker, 0, 0, 0]])), /marker/);
      }
    });

    it('integers, reals, dates and UIDs of impossible sizes or values', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x15, ...new Array<number>(32).fill(0)]])), /integer is wider/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x21, 0, 0]])), /real/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x32, 0, 0, 0, 0]])), /date/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x33, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]])), /date is out of range/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x33, 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]])), /date is out of range/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x14, 0, 0, 0, 0, 0, 0, 0, 1, ...new Array<number>(8).fill(0)]])), /128-bit/);
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0x87, ...new Array<number>(8).fill(0xff)]])), /too large/);
    });

    it('a dictionary key that is not a string', () => {
      assertFormatError(() => parseBinaryPlist(assembleBplist([[0xd1, 0x01, 0x01], [0x10, 0x01]])), /key is not a string/);
    });

    it('every truncation of a valid plist throws only PlistFormatError', () => {
      const full = buildBinaryPlist(SAMPLE);
      for (let length = 0; length < full.length; length++) {
        parsesOrRefuses(() => parseBinaryPlist(full.subarray(0, length)), `length ${length}`);
      }
    });

    it('random byte corruption throws only PlistFormatError', () => {
      const random = new SeededRandom('binary plist byte corruption');
      const full = buildBinaryPlist(SAMPLE);
      for (let round = 0; round < 3000; round++) {
        const bad = Buffer.from(full);
        const flips = 1 + random.int(4);
        for (let i = 0; i < flips; i++) bad[random.int(bad.length)] = random.int(256);
        parsesOrRefuses(() => parseBinaryPlist(bad), `round ${round}`);
      }
    });
  });

  describe('XML', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['empty document', '', /value was expected/],
      ['whitespace only', ' \n\t', /value was expected/],
      ['unterminated tag', '<plist><dict', /not terminated/],
      ['unterminated closing tag', '<plist><true/></plist', /not terminated/],
      ['unterminated comment', '<plist><!-- x', /comment is not terminated/],
      ['unterminated declaration', '<?xml version="1.0"', /processing instruction is not terminated/],
      ['unterminated DOCTYPE', '<!DOCTYPE plist [ <!ENTITY a "b"> <plist/>', /DOCTYPE/],
      ['unterminated CDATA', '<string><![CDATA[abc</string>', /CDATA/],
      ['"<" that starts no tag', '<plist>< dict/></plist>', /does not start a tag/],
      ['garbage in a tag', '<plist><dict"x"></dict></plist>', /malformed/],
      ['attributes on a closing tag', '<array></array x="1">', /attributes/],
      ['mismatched container close', '<plist><array></dict></plist>', /closed by <\/dict>/],
      ['mismatched leaf close', '<plist><string>a</key></plist>', /closed by <\/key>/],
      ['mismatched plist close', '<plist><true/></array>', /closed by <\/array>/],
      ['unclosed container', '<plist><array><string>a</string>', /<array> is not closed/],
      ['unclosed plist', '<plist><array/>', /<plist> is not closed/],
      ['unclosed leaf', '<plist><string>abc', /<string> is not closed/],
      ['empty plist element', '<plist version="1.0"/>', /empty/],
      ['empty plist content', '<plist></plist>', /value was expected/],
      ['second top-level value', '<plist><true/></plist><false/>', /after the top-level value/],
      ['text outside values', '<plist>hello<true/></plist>', /text appears outside/],
      ['text in a dict', '<dict>x</dict>', /text appears outside/],
      ['unknown element', '<plist><foo/></plist>', /<foo> is not a property-list element/],
      ['key outside a dict', '<array><key>a</key></array>', /<key> is not a property-list element/],
      ['value without key in dict', '<dict><string>a</string></dict>', /where <key> was expected/],
      ['key without value', '<dict><key>a</key></dict>', /value was expected but <\/dict>/],
      ['element inside a string', '<string>a<b/>c</string>', /<b> appears inside <string>/],
      ['content in true', '<true>yes</true>', /has content/],
      ['unknown entity', '<string>&nbsp;</string>', /entity/],
      ['bare ampersand', '<string>a & b</string>', /does not start an entity/],
      ['surrogate character reference', '<string>&#xD800;</string>', /entity/],
      ['character reference beyond Unicode', '<string>&#x110000;</string>', /entity/],
      ['bad base64 characters', '<data>!!!!</data>', /base64/],
      ['base64 of impossible length', '<data>A</data>', /base64/],
      ['misplaced padding', '<data>A=AA</data>', /base64/],
      ['non-numeric integer', '<integer>12a</integer>', /not an integer/],
      ['empty integer', '<integer></integer>', /not an integer/],
      ['empty-element integer', '<integer/>', /not an integer/],
      ['real in integer', '<integer>1.5</integer>', /not an integer/],
      ['integer above uint64', '<integer>18446744073709551616</integer>', /out of range/],
      ['integer below int64', '<integer>-9223372036854775809</integer>', /out of range/],
      ['very long integer', `<integer>${'9'.repeat(100000)}</integer>`, /out of range/],
      ['non-numeric real', '<real>1.2.3</real>', /not a real/],
      ['empty real', '<real/>', /not a real/],
      ['date without zone', '<date>2024-02-08T10:00:00</date>', /not an ISO-8601 date/],
      ['impossible date', '<date>2024-02-30T10:00:00Z</date>', /not a valid date/],
      ['impossible time', '<date>2024-02-08T24:00:00Z</date>', /not a valid date/],
      ['nesting deeper than 512', '<array>'.repeat(513) + '</array>'.repeat(513), /deeper than 512/],
      ['very deep nesting', '<array>'.repeat(100000), /deeper than 512/],
    ];
    for (const [name, xml, message] of cases) {
      it(name, () => assertFormatError(() => parseXmlPlist(xml), message));
    }

    it('every truncation of a valid document throws only PlistFormatError', () => {
      const full = buildXmlPlist(SAMPLE);
      for (let length = 0; length < full.length; length++) {
        parsesOrRefuses(() => parseXmlPlist(full.slice(0, length)), `length ${length}`);
      }
    });

    it('random character corruption throws only PlistFormatError', () => {
      const random = new SeededRandom('XML plist character corruption');
      const full = buildXmlPlist(SAMPLE);
      const alphabet = '<>/&;"\'=!?-[]x#0aA \n';
      for (let round = 0; round < 3000; round++) {
        const chars = [...full];
        for (let i = 0; i < 3; i++) chars[random.int(chars.length)] = random.pick([...alphabet]);
        parsesOrRefuses(() => parseXmlPlist(chars.join('')), `round ${round}`);
      }
    });
  });

  describe('format detection', () => {
    it('anything that is neither XML nor bplist is "not a property list"', () => {
      for (const input of [Buffer.alloc(0), Buffer.from('hello'), Buffer.from('{"json":true}'), Buffer.of(0xef, 0xbb, 0xbf), Buffer.of(0, 1, 2)]) {
        assertFormatError(() => parsePlist(input), /^The data is not a property list\.$/);
      }
    });

    it('a bplist with another version is refused', () => {
      assertFormatError(() => parsePlist(Buffer.from('bplist17'.padEnd(64, '\0'), 'latin1')), /header/);
    });
  });
});
