import assert from 'node:assert/strict';
import type { Management } from '../../../../src/simulator/deviceManagement';
import { managementAfterRestore } from '../../../../src/simulator/restore/managementAfterRestore';
import { parseRestoreRequest } from '../../../../src/simulator/restore/restoreRequest';
import { isRestored, itemClass } from '../../../../src/simulator/restore/restoreScope';

const UNSUPERVISED_MDM: Management = { supervised: false, mdm: 'enrolled' };
const SUPERVISED_MDM: Management = { supervised: true, mdm: 'enrolled' };
const NO_MDM: Management = { supervised: false, mdm: 'none' };
const UNSUPERVISED_TARGET: Management = { supervised: false, mdm: 'enrolled' };
const SUPERVISED_TARGET: Management = { supervised: true, mdm: 'enrolled' };

describe('simulated restore rules', () => {
  describe('the MDM vendor\'s rules: management state after a restore', () => {
    // Each row: source kind, same device?, target, expected supported, expected state after.
    const cells: [string, Management, boolean, Management, boolean, Management][] = [
      ['unsupervised MDM → same, unsupervised', UNSUPERVISED_MDM, true, UNSUPERVISED_TARGET, true, { supervised: false, mdm: 'enrolled' }],
      ['unsupervised MDM → same, supervised (not supported)', UNSUPERVISED_MDM, true, SUPERVISED_TARGET, false, SUPERVISED_TARGET],
      ['unsupervised MDM → different, unsupervised (MDM ×)', UNSUPERVISED_MDM, false, UNSUPERVISED_TARGET, true, { supervised: false, mdm: 'none' }],
      ['unsupervised MDM → different, supervised (MDM ○)', UNSUPERVISED_MDM, false, SUPERVISED_TARGET, true, SUPERVISED_TARGET],
      ['supervised MDM → same, unsupervised (becomes supervised)', SUPERVISED_MDM, true, { supervised: false, mdm: 'none' }, true, { supervised: true, mdm: 'enrolled' }],
      ['supervised MDM → same, supervised', SUPERVISED_MDM, true, SUPERVISED_TARGET, true, SUPERVISED_TARGET],
      ['supervised MDM → different, unsupervised (MDM ×)', SUPERVISED_MDM, false, UNSUPERVISED_TARGET, true, { supervised: false, mdm: 'none' }],
      ['supervised MDM → different, supervised (MDM ○)', SUPERVISED_MDM, false, SUPERVISED_TARGET, true, SUPERVISED_TARGET],
      ['no MDM → same, unsupervised (MDM ×)', NO_MDM, true, UNSUPERVISED_TARGET, true, { supervised: false, mdm: 'none' }],
      ['no MDM → same, supervised (not supported)', NO_MDM, true, SUPERVISED_TARGET, false, SUPERVISED_TARGET],
      ['no MDM → different, unsupervised (MDM ×)', NO_MDM, false, UNSUPERVISED_TARGET, true, { supervised: false, mdm: 'none' }],
      ['no MDM → different, supervised (MDM ○)', NO_MDM, false, SUPERVISED_TARGET, true, SUPERVISED_TARGET],
    ];
    for (const [name, source, same, target, supported, after] of cells) {
      it(name, () => {
        const outcome = managementAfterRestore(target, source, same);
        assert.equal(outcome.supported, supported);
        assert.deepEqual(outcome.after, after);
        assert.ok(outcome.note.length > 0);
      });
    }
  });

  describe('what the options restore', () => {
    it('classifies settings before system files, and the rest as user data', () => {
      assert.equal(itemClass('HomeDomain', 'Library/Preferences/com.apple.springboard.plist'), 'settings');
      assert.equal(itemClass('HomeDomain', 'Library/Preferences'), 'settings');
      assert.equal(itemClass('SystemPreferencesDomain', 'SystemConfiguration/preferences.plist'), 'settings');
      assert.equal(itemClass('RootDomain', 'Library/Caches/locationd/x'), 'system');
      assert.equal(itemClass('KeychainDomain', 'keychain-backup.plist'), 'system');
      assert.equal(itemClass('SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles', 'Library/ConfigurationProfiles/CloudConfigurationDetails.plist'), 'system');
      assert.equal(itemClass('HomeDomain', 'Library/SMS/sms.db'), 'user');
      assert.equal(itemClass('AppDomain-com.example.notes', 'Library/Preferences/com.example.notes.plist'), 'user', "an app's preferences are its data");
    });
    it('restores user data always, system files with RestoreSystemFiles, settings unless RestorePreserveSettings', () => {
      const opts = (restoreSystemFiles: boolean, preserveSettings: boolean) => ({ restoreSystemFiles, preserveSettings });
      assert.equal(isRestored('CameraRollDomain', 'Media/DCIM/100APPLE/IMG_0001.MOV', opts(false, true)), true);
      assert.equal(isRestored('KeychainDomain', 'keychain-backup.plist', opts(false, true)), false);
      assert.equal(isRestored('KeychainDomain', 'keychain-backup.plist', opts(true, true)), true);
      assert.equal(isRestored('HomeDomain', 'Library/Preferences/a.plist', opts(true, true)), false);
      assert.equal(isRestored('HomeDomain', 'Library/Preferences/a.plist', opts(false, false)), true);
    });
  });

  describe('the Restore request', () => {
    const UDID = '00008110-000A1B2C3D4E801E';
    it('takes the device defaults when options are absent', () => {
      const r = parseRestoreRequest({ MessageName: 'Restore' }, UDID)!;
      assert.equal(r.sourceIdentifier, UDID);
      assert.deepEqual(
        [r.restoreSystemFiles, r.shouldReboot, r.preserveSettings, r.removeItemsNotRestored, r.password],
        [false, true, true, false, undefined],
      );
    });
    it('reads the options and the password from Options or the top level', () => {
      const r = parseRestoreRequest(
        { MessageName: 'Restore', SourceIdentifier: 'ABC-123', Options: { RestoreSystemFiles: true, RestoreShouldReboot: false, RestorePreserveSettings: false, RemoveItemsNotRestored: true, Password: 'pw' } },
        UDID,
      )!;
      assert.deepEqual([r.sourceIdentifier, r.restoreSystemFiles, r.shouldReboot, r.preserveSettings, r.removeItemsNotRestored, r.password], ['ABC-123', true, false, false, true, 'pw']);
      assert.equal(parseRestoreRequest({ MessageName: 'Restore', Password: 'top' }, UDID)!.password, 'top');
    });
    it('refuses a SourceIdentifier that is not a folder name', () => {
      assert.equal(parseRestoreRequest({ SourceIdentifier: '../etc' }, UDID), undefined);
      assert.equal(parseRestoreRequest({ SourceIdentifier: 'a/b' }, UDID), undefined);
    });
  });
});
