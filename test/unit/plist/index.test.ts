import * as assert from 'node:assert/strict';
import {
  buildBinaryPlist,
  buildXmlPlist,
  expectDict,
  getArray,
  getBoolean,
  getData,
  getDate,
  getDict,
  getInteger,
  getString,
  parsePlist,
  PlistReal,
  PlistUid,
  requireArray,
  requireBoolean,
  requireData,
  requireDate,
  requireDict,
  requireInteger,
  requireString,
  type PlistDict,
  type PlistValue,
} from '../../../src/plist';
import { assertFormatError } from './plistTestHelpers';

const VALUE: PlistDict = {
  s: 'text',
  i: 42,
  big: 2n ** 60n,
  safeBig: 7n,
  r: 1.5,
  t: true,
  d: Buffer.of(1, 2),
  when: new Date('2024-02-08T10:00:00Z'),
  sub: { x: 1 },
  list: [1, 'two'],
};

describe('plist/index', () => {
  describe('parsePlist', () => {
    it('reads both formats', () => {
      const expected = { ...VALUE, safeBig: 7 }; // parsers return safe integers as numbers
      assert.deepEqual(parsePlist(buildBinaryPlist(VALUE)), expected);
      assert.deepEqual(parsePlist(Buffer.from(buildXmlPlist(VALUE), 'utf8')), expected);
    });

    it('skips a UTF-8 BOM and leading whitespace before XML or bplist00', () => {
      assert.deepEqual(parsePlist(Buffer.from('\uFEFF\n  <plist><true/></plist>', 'utf8')), true);
      assert.deepEqual(parsePlist(Buffer.concat([Buffer.from(' \r\n'), buildBinaryPlist([1])])), [1]);
      assert.deepEqual(parsePlist(Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), buildBinaryPlist('x')])), 'x');
    });

    it('reads UIDs from binary and keeps the CF$UID dict from XML', () => {
      const archive = { $top: { root: new PlistUid(1) } };
      assert.deepEqual(parsePlist(buildBinaryPlist(archive)), archive);
      assert.deepEqual(parsePlist(Buffer.from(buildXmlPlist(archive))), { $top: { root: { CF$UID: 1 } } });
    });

    it('is the same for both formats on unicode, dates and nesting', () => {
      const value: PlistValue = { 名前: 'テスト 🎉', at: new Date('2030-01-02T03:04:05Z'), deep: [[[{ a: [new PlistReal(0.5)] }]]] };
      const expected = { 名前: 'テスト 🎉', at: new Date('2030-01-02T03:04:05Z'), deep: [[[{ a: [0.5] }]]] };
      assert.deepEqual(parsePlist(buildBinaryPlist(value)), expected);
      assert.deepEqual(parsePlist(Buffer.from(buildXmlPlist(value))), expected);
    });
  });

  describe('accessors', () => {
    it('get* return the typed value or undefined', () => {
      assert.equal(getString(VALUE, 's'), 'text');
      assert.equal(getString(VALUE, 'i'), undefined);
      assert.equal(getInteger(VALUE, 'i'), 42);
      assert.equal(getInteger(VALUE, 'safeBig'), 7);
      assert.equal(getInteger(VALUE, 'big'), undefined);
      assert.equal(getInteger(VALUE, 'r'), undefined);
      assert.equal(getBoolean(VALUE, 't'), true);
      assert.equal(getBoolean(VALUE, 's'), undefined);
      assert.deepEqual(getData(VALUE, 'd'), Buffer.of(1, 2));
      assert.equal(getData(VALUE, 's'), undefined);
      assert.deepEqual(getDate(VALUE, 'when'), new Date('2024-02-08T10:00:00Z'));
      assert.deepEqual(getDict(VALUE, 'sub'), { x: 1 });
      assert.equal(getDict(VALUE, 'list'), undefined);
      assert.deepEqual(getArray(VALUE, 'list'), [1, 'two']);
      assert.equal(getArray(VALUE, 'sub'), undefined);
      assert.equal(getString(VALUE, 'missing'), undefined);
    });

    it('never read inherited properties', () => {
      assert.equal(getDict(VALUE, '__proto__'), undefined);
      assert.equal(getDict(VALUE, 'constructor'), undefined);
      assert.equal(getString({}, 'toString'), undefined);
    });

    it('require* return the value or throw naming the key and the expectation', () => {
      assert.equal(requireString(VALUE, 's', 'the reply'), 'text');
      assert.equal(requireInteger(VALUE, 'i', 'the reply'), 42);
      assert.equal(requireBoolean(VALUE, 't', 'the reply'), true);
      assert.deepEqual(requireData(VALUE, 'd', 'the reply'), Buffer.of(1, 2));
      assert.deepEqual(requireDate(VALUE, 'when', 'the reply'), VALUE.when);
      assert.deepEqual(requireDict(VALUE, 'sub', 'the reply'), { x: 1 });
      assert.deepEqual(requireArray(VALUE, 'list', 'the reply'), [1, 'two']);
      assertFormatError(() => requireString(VALUE, 'Request', 'the lockdown reply'), /^Expected "Request" in the lockdown reply to be a string\.$/);
      assertFormatError(() => requireInteger(VALUE, 's', 'the reply'), /"s" .* an integer/);
      assertFormatError(() => requireBoolean(VALUE, 's', 'the reply'), /"s" .* a boolean/);
      assertFormatError(() => requireData(VALUE, 's', 'the reply'), /"s" .* data/);
      assertFormatError(() => requireDate(VALUE, 's', 'the reply'), /"s" .* a date/);
      assertFormatError(() => requireDict(VALUE, 'list', 'the reply'), /"list" .* a dictionary/);
      assertFormatError(() => requireArray(VALUE, 'sub', 'the reply'), /"sub" .* an array/);
    });

    it('expectDict accepts only dictionaries', () => {
      assert.equal(expectDict(VALUE, 'the reply'), VALUE);
      for (const bad of [undefined, 'x', 1, [], Buffer.alloc(0), new Date(0), new PlistUid(1), new PlistReal(1)]) {
        assertFormatError(() => expectDict(bad, 'the reply'), /^Expected the reply to be a dictionary\.$/);
      }
    });
  });
});
