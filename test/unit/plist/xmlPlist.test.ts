import * as assert from 'node:assert/strict';
import { buildXmlPlist, parseXmlPlist, PlistReal, PlistUid, type PlistValue } from '../../../src/plist';
import { BYTES_96, libplistSample } from './plistTestHelpers';

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">\n';

const wrap = (body: string): string => `${HEAD}${body}\n</plist>\n`;

/** What libplist 2.2 (`plistutil -f xml`) writes for a small dict, kept verbatim as an interop fixture. */
const LIBPLIST_XML = wrap(
  [
    '<dict>',
    '\t<key>a&amp;b</key>',
    '\t<string>x&lt;y&gt;z"\'</string>',
    '\t<key>e</key>',
    '\t<string></string>',
    '\t<key>d</key>',
    '\t<data>',
    '\tAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEy',
    '\tMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f',
    '\t</data>',
    '\t<key>ed</key>',
    '\t<data>',
    '\t</data>',
    '\t<key>arr</key>',
    '\t<array/>',
    '\t<key>dd</key>',
    '\t<dict/>',
    '\t<key>r</key>',
    '\t<real>3.5</real>',
    '\t<key>r2</key>',
    '\t<real>0.10000000000000001</real>',
    '\t<key>big</key>',
    '\t<integer>18446744073709551615</integer>',
    '\t<key>neg</key>',
    '\t<integer>-5</integer>',
    '\t<key>dt</key>',
    '\t<date>2024-02-08T10:00:00Z</date>',
    '\t<key>n</key>',
    '\t<array>',
    '\t\t<dict>',
    '\t\t\t<key>x</key>',
    '\t\t\t<true/>',
    '\t\t</dict>',
    '\t\t<false/>',
    '\t</array>',
    '\t<key>j</key>',
    '\t<string>日本語😀</string>',
    '</dict>',
  ].join('\n'),
);

const LIBPLIST_VALUE = libplistSample(3.5);

describe('plist/xmlPlist', () => {
  describe('writer', () => {
    it('writes the exact Apple/libplist layout (header, tabs, empty forms, data lines)', () => {
      assert.equal(buildXmlPlist(LIBPLIST_VALUE), LIBPLIST_XML);
    });

    it('writes a top-level scalar and an empty dict in the Apple envelope', () => {
      assert.equal(buildXmlPlist('hi'), wrap('<string>hi</string>'));
      assert.equal(buildXmlPlist({}), wrap('<dict/>'));
      assert.equal(buildXmlPlist([]), wrap('<array/>'));
    });

    it('writes integral numbers and bigints as <integer>, others and PlistReal as <real>', () => {
      assert.equal(buildXmlPlist([3, -7, 2n ** 64n - 1n, -(2n ** 63n), 3.5, new PlistReal(3), new PlistReal(-0.25)]), wrap(
        [
          '<array>',
          '\t<integer>3</integer>',
          '\t<integer>-7</integer>',
          '\t<integer>18446744073709551615</integer>',
          '\t<integer>-9223372036854775808</integer>',
          '\t<real>3.5</real>',
          '\t<real>3</real>',
          '\t<real>-0.25</real>',
          '</array>',
        ].join('\n'),
      ));
    });

    it('formats reals like printf %.17g, as Apple and libplist do', () => {
      const reals = [0.1, 1e300, 1e-7, 123456.5, -0.0001, 1e17, 0, NaN, Infinity, -Infinity].map((r) => new PlistReal(r));
      const body = buildXmlPlist(reals).split('\n').filter((l) => l.startsWith('\t<real>'));
      assert.deepEqual(body, [
        '0.10000000000000001',
        '1.0000000000000001e+300',
        '9.9999999999999995e-08',
        '123456.5',
        '-0.0001',
        '1e+17',
        '0.0',
        'nan',
        '+infinity',
        '-infinity',
      ].map((r) => `\t<real>${r}</real>`));
    });

    it('writes dates in ISO-8601 UTC without milliseconds', () => {
      assert.equal(buildXmlPlist(new Date('2024-02-08T10:00:00.789Z')), wrap('<date>2024-02-08T10:00:00Z</date>'));
    });

    it('escapes & < > in strings and keys', () => {
      assert.equal(buildXmlPlist({ '<k&>': 'a&b<c>d' }), wrap('<dict>\n\t<key>&lt;k&amp;&gt;</key>\n\t<string>a&amp;b&lt;c&gt;d</string>\n</dict>'));
    });

    it('writes a PlistUid as the CF$UID dictionary Apple uses', () => {
      assert.equal(buildXmlPlist(new PlistUid(7)), wrap('<dict>\n\t<key>CF$UID</key>\n\t<integer>7</integer>\n</dict>'));
    });

    it('wraps data at 76 columns counting tabs as 8, narrowing with depth', () => {
      const xml = buildXmlPlist([[[BYTES_96]]]);
      const lines = xml.split('\n').filter((l) => /^\t+[A-Za-z0-9+/=]+$/.test(l));
      assert.deepEqual(lines.map((l) => l.replace(/^\t+/, '').length), [52, 52, 24]);
      assert.equal(buildXmlPlist(BYTES_96).split('\n')[4].length, 76);
    });

    it('refuses values it cannot represent', () => {
      const cyclic: PlistValue[] = [];
      cyclic.push(cyclic);
      assert.throws(() => buildXmlPlist(cyclic), TypeError);
      assert.throws(() => buildXmlPlist(null as unknown as PlistValue), TypeError);
      assert.throws(() => buildXmlPlist(2n ** 64n), RangeError);
      assert.throws(() => buildXmlPlist(new Date(NaN)), RangeError);
    });
  });

  describe('parser', () => {
    it('reads libplist output back into the same values', () => {
      assert.deepEqual(parseXmlPlist(LIBPLIST_XML), LIBPLIST_VALUE);
      assert.deepEqual(parseXmlPlist(Buffer.from(LIBPLIST_XML, 'utf8')), LIBPLIST_VALUE);
    });

    it('reads a libimobiledevice-style lockdown reply', () => {
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
        '<plist version="1.0">\n<dict>\n\t<key>Request</key>\n\t<string>QueryType</string>\n\t<key>Type</key>\n\t<string>com.apple.mobile.lockdown</string>\n</dict>\n</plist>\n';
      assert.deepEqual(parseXmlPlist(xml), { Request: 'QueryType', Type: 'com.apple.mobile.lockdown' });
    });

    it('accepts a bare value without the <plist> root, a BOM, comments and a DOCTYPE subset', () => {
      assert.equal(parseXmlPlist('<string>x</string>'), 'x');
      assert.equal(parseXmlPlist(Buffer.from('\uFEFF<plist><integer>5</integer></plist>', 'utf8')), 5);
      assert.deepEqual(
        parseXmlPlist('<!-- a --><!DOCTYPE plist [ <!ENTITY x "y>"> ]><plist version="1.0"><!-- b --><array><!--c--><true/></array></plist><!-- d -->'),
        [true],
      );
    });

    it('reads empty-element forms', () => {
      assert.deepEqual(parseXmlPlist('<plist><array><string/><dict/><array/><data/><true/><false/><true></true><string></string></array></plist>'), [
        '',
        {},
        [],
        Buffer.alloc(0),
        true,
        false,
        true,
        '',
      ]);
    });

    it('decodes entities and character references, and CDATA', () => {
      assert.equal(parseXmlPlist('<string>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</string>'), `<>&"'AB😀`);
      assert.equal(parseXmlPlist('<string>a<![CDATA[<b>&amp;]]>c</string>'), 'a<b>&amp;c');
      assert.deepEqual(parseXmlPlist('<dict><key>&lt;k&gt;</key><integer>1</integer></dict>'), { '<k>': 1 });
    });

    it('treats raw control characters (iOS 4.3+ devices send them) as spaces', () => {
      const xml = Buffer.concat([Buffer.from('<plist>\x01<dict><key>Name</key><string>a'), Buffer.of(0x00, 0x1f, 0x0b), Buffer.from('b\tc\r\nd</string></dict></plist>')]);
      assert.deepEqual(parseXmlPlist(xml), { Name: 'a   b\tc\r\nd' });
    });

    it('returns integers beyond the safe range as bigint and keeps safe ones as numbers', () => {
      const xml = '<array><integer>9007199254740991</integer><integer>9007199254740992</integer><integer>-9007199254740991</integer>' +
        '<integer>-9007199254740992</integer><integer>-9223372036854775808</integer><integer> +00042 </integer><integer>0x1F</integer></array>';
      assert.deepEqual(parseXmlPlist(xml), [9007199254740991, 9007199254740992n, -9007199254740991, -9007199254740992n, -(2n ** 63n), 42, 31]);
    });

    it('reads reals as plain numbers, including the special spellings', () => {
      const xml = '<array><real>1.5</real><real>-2</real><real>1e+17</real><real>.5</real><real>nan</real><real>+infinity</real><real>-inf</real></array>';
      const [a, b, c, d, e, f, g] = parseXmlPlist(xml) as number[];
      assert.deepEqual([a, b, c, d, f, g], [1.5, -2, 1e17, 0.5, Infinity, -Infinity]);
      assert.ok(Number.isNaN(e));
    });

    it('reads dates, tolerating fractional seconds', () => {
      assert.deepEqual(parseXmlPlist('<date>2024-02-29T23:59:59Z</date>'), new Date('2024-02-29T23:59:59Z'));
      assert.deepEqual(parseXmlPlist('<date>2001-01-01T00:00:00.250Z</date>'), new Date('2001-01-01T00:00:00.250Z'));
    });

    it('tolerates whitespace and newlines inside <data>', () => {
      assert.deepEqual(parseXmlPlist('<data>\n\t\tAAEC\n\t\tAw==\n\t</data>'), Buffer.of(0, 1, 2, 3));
      assert.deepEqual(parseXmlPlist('<data>AAECAw</data>'), Buffer.of(0, 1, 2, 3));
    });

    it('reads a CF$UID dictionary back as a dictionary (XML has no UID type)', () => {
      assert.deepEqual(parseXmlPlist(buildXmlPlist({ root: new PlistUid(3) })), { root: { CF$UID: 3 } });
    });

    it('keeps a "__proto__" key as plain data', () => {
      const dict = parseXmlPlist('<dict><key>__proto__</key><dict><key>polluted</key><true/></dict></dict>') as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(dict), Object.prototype);
      assert.deepEqual(Object.keys(dict), ['__proto__']);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('accepts containers nested exactly 512 deep', () => {
      const xml = '<array>'.repeat(512) + '</array>'.repeat(512);
      let value = parseXmlPlist(xml);
      for (let depth = 1; depth < 512; depth++) value = (value as PlistValue[])[0];
      assert.deepEqual(value, []);
    });
  });

  describe('round trip', () => {
    const cases: Array<[string, PlistValue]> = [
      ['string', 'hello'],
      ['empty string', ''],
      ['Japanese and emoji', '日本語のテキスト 👍🏽 🇯🇵'],
      ['whitespace-only string', '  \t\n '],
      ['integer', 42],
      ['zero', 0],
      ['negative integer', -123456789],
      ['safe max', Number.MAX_SAFE_INTEGER],
      ['bigint uint64 max', 2n ** 64n - 1n],
      ['bigint int64 min', -(2n ** 63n)],
      ['real', 3.14159],
      ['tiny real', 5e-324],
      ['true', true],
      ['false', false],
      ['date', new Date('1999-12-31T23:59:59Z')],
      ['data', Buffer.from('binary\x00\xff data', 'latin1')],
      ['empty data', Buffer.alloc(0)],
      ['empty array', []],
      ['empty dict', {}],
      ['nested', { a: [1, { b: [[], {}, 'c'], d: Buffer.of(9) }], e: { f: { g: false } }, 'k&<>': 'v&<>' }],
    ];
    for (const [name, value] of cases) {
      it(name, () => assert.deepEqual(parseXmlPlist(buildXmlPlist(value)), value));
    }

    it('PlistReal comes back as a plain number', () => {
      assert.equal(parseXmlPlist(buildXmlPlist(new PlistReal(2))), 2);
    });
  });
});
