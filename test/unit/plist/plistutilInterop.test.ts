import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBinaryPlist, buildXmlPlist, isPlistDict, parsePlist, PlistUid, type PlistValue } from '../../../src/plist';

/** Converts with libplist's plistutil (Debian package libplist-utils), or returns undefined when it is not installed. */
function plistutil(input: Buffer | string, format: 'xml' | 'bin'): Buffer | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plist-interop-'));
  try {
    fs.writeFileSync(path.join(dir, 'in'), input);
    execFileSync('plistutil', ['-i', path.join(dir, 'in'), '-o', path.join(dir, 'out'), '-f', format], { stdio: 'ignore' });
    return fs.readFileSync(path.join(dir, 'out'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function uidsAsDicts(value: PlistValue): PlistValue {
  if (value instanceof PlistUid) return { CF$UID: value.value };
  if (Array.isArray(value)) return value.map(uidsAsDicts);
  if (isPlistDict(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, uidsAsDicts(v)]));
  return value;
}

// Only non-integral reals: our model writes integral numbers as <integer>, where libplist would keep <real>.
const VALUE: PlistValue = {
  $archiver: 'NSKeyedArchiver',
  $top: { root: new PlistUid(1) },
  $objects: ['$null', { $class: new PlistUid(300), name: '日本語 😀 & <tag>', n: -1, big: 2n ** 64n - 1n, min: -(2n ** 63n) }],
  when: new Date('2024-02-08T10:00:00Z'),
  data: Buffer.from(Array.from({ length: 200 }, (_, i) => i)),
  empty: { a: [], d: {}, s: '', b: Buffer.alloc(0) },
  flags: [true, false, 0.25],
  long: 'x'.repeat(300),
};

describe('plist/interop with libplist plistutil (skipped when not installed, except in CI)', function () {
  before(function () {
    if (plistutil('<plist><true/></plist>', 'bin') !== undefined) return;
    // CI installs plistutil through `npm run setup`; there a missing tool is a broken setup, not a reason to skip.
    if (process.env.IOSBR_REQUIRE_PLISTUTIL === '1') {
      throw new Error('plistutil is not installed: run `npm run setup` (Debian package libplist-utils)');
    }
    this.skip();
  });

  it('plistutil turns our binary into exactly our XML', () => {
    assert.equal(plistutil(buildBinaryPlist(VALUE), 'xml')?.toString('utf8'), buildXmlPlist(VALUE));
  });

  it('we read the binary plistutil writes from our XML', () => {
    const binary = plistutil(buildXmlPlist(VALUE), 'bin');
    // XML has no UID type: libplist, like Apple, reads the CF$UID dictionaries back as dictionaries.
    assert.deepEqual(parsePlist(binary ?? Buffer.alloc(0)), uidsAsDicts(VALUE));
  });
});
