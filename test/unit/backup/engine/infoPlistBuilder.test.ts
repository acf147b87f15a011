import assert from 'node:assert/strict';
import { buildBackupInfoPlist, gatherInfoPlistSources } from '../../../../src/backup/engine/infoPlistBuilder';
import { encodeInfoPlist, parseInfoPlist } from '../../../../src/backup/format/infoPlist';
import type { ServiceProvider } from '../../../../src/lockdown/serviceProvider';
import type { PlistValue } from '../../../../src/plist';

const UDID = '00008110-000a1b2c3d4e801e';

describe('Info.plist builder', () => {
  it('fills the host keys from lockdown values and lists reinstallable apps', () => {
    const now = new Date('2024-05-01T10:00:00Z');
    const info = buildBackupInfoPlist(UDID, {
      lockdownValues: { DeviceName: 'Phone', BuildVersion: '20B82', ProductType: 'iPhone14,5', ProductVersion: '16.1', SerialNumber: 'F2L', IntegratedCircuitCardIdentity: '8901', PhoneNumber: 42 },
      apps: [
        { CFBundleIdentifier: 'com.a', ApplicationSINF: Buffer.from('s'), iTunesMetadata: Buffer.from('m') },
        { CFBundleIdentifier: 'com.b' },
        { ApplicationSINF: Buffer.from('no id') },
      ],
    }, now);
    assert.equal(info.deviceName, 'Phone');
    assert.equal(info.displayName, 'Phone');
    assert.equal(info.productVersion, '16.1');
    assert.equal(info.iccid, '8901');
    assert.equal(info.phoneNumber, undefined, 'a non-string phone number is left out');
    assert.equal(info.uniqueIdentifier, UDID.toUpperCase());
    assert.equal(info.targetIdentifier, UDID);
    assert.equal(info.targetType, 'Device');
    assert.equal(info.lastBackupDate, now);
    assert.equal(info.iTunesVersion, '10.0.1');
    assert.deepEqual(info.iTunesSettings, {});
    assert.match(info.guid ?? '', /^[0-9A-F]{32}$/);
    assert.deepEqual(info.installedApplications, ['com.a', 'com.b']);
    assert.deepEqual(Object.keys(info.applications ?? {}), ['com.a']);
    const reread = parseInfoPlist(encodeInfoPlist(info));
    assert.equal(reread.deviceName, 'Phone');
    assert.equal(reread.uniqueIdentifier, UDID.toUpperCase());
  });

  it('reads lockdown domains and treats an unavailable app list as empty', async () => {
    const asked: string[] = [];
    const lockdown = {
      getValue: async (domain?: string, key?: string): Promise<PlistValue | undefined> => {
        asked.push(`${domain ?? ''}/${key ?? ''}`);
        if (!domain) return { DeviceName: 'Phone' };
        if (domain === 'com.apple.iTunes') return { Setting: true };
        return '12.9';
      },
    };
    const provider: ServiceProvider = { udid: UDID, startService: async () => { throw new Error('InvalidService'); } };
    const sources = await gatherInfoPlistSources(lockdown, provider);
    assert.deepEqual(asked, ['/', 'com.apple.iTunes/', 'com.apple.mobile.iTunes/MinITunesVersion']);
    assert.deepEqual(sources, { lockdownValues: { DeviceName: 'Phone' }, apps: [], iTunesSettings: { Setting: true }, minITunesVersion: '12.9' });
  });
});
