import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { encodeInfoPlist, parseInfoPlist, readInfoPlist, type InfoPlist } from '../../../../src/backup/format/infoPlist';
import { isBackupError } from '../../../../src/common/errors';
import { buildBinaryPlist, buildXmlPlist } from '../../../../src/plist';
import { makeTempDir, testInfo } from '../../../builders/testBackupBuilder';

function assertUnreadable(fragment: string) {
  return (e: unknown): boolean => isBackupError(e) && e.code === 'backup.plist-unreadable' && e.message.includes(fragment);
}

describe('backup/format infoPlist', () => {
  const full: InfoPlist = {
    ...testInfo(),
    iccid: '8901',
    imei: '35000',
    meid: '3500',
    phoneNumber: '+1 555 0100',
    iTunesFiles: { iTunesPrefs: Buffer.from('prefs') },
    iBooksData2: Buffer.from('books'),
    applications: { 'com.example.notes': { ApplicationSINF: Buffer.from('sinf'), iTunesMetadata: Buffer.from('meta') } },
  };

  for (const format of ['xml', 'binary'] as const) {
    it(`round-trips every modelled key as ${format}`, () => {
      assert.deepEqual(parseInfoPlist(encodeInfoPlist(full, format)), full);
    });
  }

  it('writes XML by default with the host key names', () => {
    const text = encodeInfoPlist(testInfo()).toString('utf8');
    assert.match(text, /^<\?xml/);
    for (const key of ['Device Name', 'Display Name', 'Product Type', 'Product Version', 'Build Version', 'Serial Number', 'Unique Identifier', 'GUID', 'Target Identifier', 'Target Type', 'Last Backup Date', 'iTunes Version', 'Installed Applications', 'Applications', 'iTunes Settings']) {
      assert.ok(text.includes(`<key>${key}</key>`), key);
    }
  });

  it('leaves missing keys undefined and keeps unknown keys', () => {
    const info: InfoPlist = parseInfoPlist(Buffer.from(buildXmlPlist({ 'Device Name': 'Phone', 'Some Future Key': 42, 'Product Type': 7 })));
    assert.equal(info.productType, undefined);
    assert.deepEqual(info, { deviceName: 'Phone', otherKeys: { 'Some Future Key': 42 } });
    assert.deepEqual(parseInfoPlist(encodeInfoPlist(info)), info);
  });

  it('reads a data GUID (pymobiledevice3 style) as upper-case hex', () => {
    const info = parseInfoPlist(buildBinaryPlist({ GUID: Buffer.from('00112233445566778899aabbccddeeff', 'hex') }));
    assert.equal(info.guid, '00112233445566778899AABBCCDDEEFF');
  });

  it('explains garbage, an empty file and a non-dictionary', () => {
    assert.throws(() => parseInfoPlist(Buffer.from('garbage')), assertUnreadable('Cannot read Info.plist because it is not a valid property list'));
    assert.throws(() => parseInfoPlist(Buffer.alloc(0)), assertUnreadable('because it is empty'));
    assert.throws(() => parseInfoPlist(Buffer.from(buildXmlPlist(['a']))), assertUnreadable('top level is not a dictionary'));
  });

  it('reads the file from a backup folder and names a missing one', async () => {
    const dir = await makeTempDir();
    try {
      await assert.rejects(readInfoPlist(dir), assertUnreadable(`it does not exist in ${dir}`));
      await fs.writeFile(path.join(dir, 'Info.plist'), encodeInfoPlist(testInfo()));
      assert.equal((await readInfoPlist(dir)).deviceName, 'Support iPhone');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
