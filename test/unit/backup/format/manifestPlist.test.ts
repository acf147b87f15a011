import * as assert from 'node:assert/strict';
import { encodeManifestPlist, isManifestEncrypted, parseManifestPlist, type ManifestPlist } from '../../../../src/backup/format/manifestPlist';
import { isBackupError } from '../../../../src/common/errors';
import { buildBinaryPlist, parsePlist } from '../../../../src/plist';
import { testManifest } from '../../../builders/testBackupBuilder';

describe('backup/format manifestPlist', () => {
  const encrypted: ManifestPlist = {
    ...testManifest(),
    isEncrypted: true,
    backupKeyBag: Buffer.from('VERS\0\0\0\x04\0\0\0\x05', 'latin1'),
    manifestKey: Buffer.concat([Buffer.from([3, 0, 0, 0]), Buffer.alloc(40, 7)]),
    lockdown: { ...testManifest().lockdown, otherKeys: { 'com.apple.MobileDeviceCrashCopy': {} } },
  };

  for (const format of ['xml', 'binary'] as const) {
    it(`round-trips as ${format}, including the Lockdown dictionary and keybag`, () => {
      assert.deepEqual(parseManifestPlist(encodeManifestPlist(encrypted, format)), encrypted);
    });
  }

  it('writes the device key names', () => {
    const dict = parsePlist(encodeManifestPlist(encrypted)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(dict).sort(), [
      'Applications', 'BackupKeyBag', 'Date', 'IsEncrypted', 'Lockdown', 'ManifestKey', 'SystemDomainsVersion', 'Version', 'WasPasscodeSet',
    ]);
    assert.deepEqual(Object.keys(dict.Lockdown as object).sort(), [
      'BuildVersion', 'DeviceName', 'ProductType', 'ProductVersion', 'SerialNumber', 'UniqueDeviceID', 'com.apple.MobileDeviceCrashCopy',
    ]);
  });

  it('decides encryption from IsEncrypted, else from the presence of a keybag', () => {
    assert.equal(isManifestEncrypted(testManifest()), false);
    assert.equal(isManifestEncrypted(encrypted), true);
    const noFlag = parseManifestPlist(buildBinaryPlist({ BackupKeyBag: Buffer.from([1]) }));
    assert.equal(noFlag.isEncrypted, undefined);
    assert.equal(isManifestEncrypted(noFlag), true);
    assert.equal(isManifestEncrypted(parseManifestPlist(buildBinaryPlist({ Version: '10.0' }))), false);
  });

  it('treats a key of the wrong type as missing', () => {
    const manifest = parseManifestPlist(buildBinaryPlist({ IsEncrypted: 'yes', Lockdown: 'none', Version: '10.0' }));
    assert.deepEqual(manifest, { version: '10.0' });
  });

  it('explains an empty file (the device answers 205 to one)', () => {
    assert.throws(
      () => parseManifestPlist(Buffer.alloc(0)),
      (e: unknown) => isBackupError(e) && e.message === 'Cannot read Manifest.plist because it is empty.',
    );
  });
});
