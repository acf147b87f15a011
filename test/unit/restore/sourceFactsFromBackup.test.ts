import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BackupInspection } from '../../../src/backup/inspect/backupInspection';
import { CONFIGURATION_PROFILES_DOMAIN } from '../../../src/backup/inspect/configurationProfileStore';
import { unknownManagement } from '../../../src/backup/inspect/backupManagement';
import { encodeInfoPlist } from '../../../src/backup/format/infoPlist';
import { encodeStatusPlist } from '../../../src/backup/format/statusPlist';
import { readBackupSourceFacts, sourceSlotsFromInspection } from '../../../src/restore/sourceFactsFromBackup';
import { resolveFacts } from '../../../src/compat/resolveFacts';
import { makeTempDir, testInfo, testItems, testStatus, TEST_UDID, writeTestBackup } from '../../builders/testBackupBuilder';
import {
  CLOUD_PATH,
  cloudConfiguration,
  encodePlist,
  otherItems,
  PASSWORD,
  storeFile,
  storeFolders,
  stubPath,
  supervisedEnrolledStore,
  writeEncryptedStoreBackup,
} from '../../builders/profileStoreFixtures';

const CLOUD_FILE = `${CONFIGURATION_PROFILES_DOMAIN}/${CLOUD_PATH}`;

/** An inspection of a plain backup whose management state is given; everything else as a healthy backup has it. */
function inspection(management: BackupInspection['management'], over: Partial<BackupInspection> = {}): BackupInspection {
  return {
    backupDir: `/b/${TEST_UDID}`,
    device: { name: 'Support iPhone', productType: 'iPhone14,5', marketingName: 'iPhone 13', iosVersion: '16.1', buildVersion: '20B82', udid: TEST_UDID, serialNumber: null },
    backupDate: null,
    encrypted: false,
    passwordOutcome: 'not-needed',
    complete: true,
    incompleteReasons: [],
    totalBytes: 1,
    apps: { count: 0, items: [] },
    largestDomains: [],
    management,
    problems: [],
    ...over,
  };
}

describe('source facts from a backup\'s own files', () => {
  describe('the mapping of an inspection', () => {
    it('takes supervision and enrolment from the profile store, naming the file that decided each', () => {
      const slots = sourceSlotsFromInspection(
        inspection({
          supervised: true,
          mdmEnrolled: false,
          organizationName: null,
          sources: [
            { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: CLOUD_PATH, facts: ['supervised'], detail: 'IsSupervised is true.' },
            { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: 'Library/ConfigurationProfiles/profile-*.stub', facts: ['mdmEnrolled'], detail: 'No stub has an MDM payload.' },
          ],
        }),
      );
      assert.deepEqual(slots['source.supervisedAtBackup'], { value: true, origin: { kind: 'backup', file: CLOUD_FILE } });
      assert.deepEqual(slots['source.mdmEnrolledAtBackup'], {
        value: false,
        origin: { kind: 'backup', file: `${CONFIGURATION_PROFILES_DOMAIN}/Library/ConfigurationProfiles/profile-*.stub` },
      });
      assert.deepEqual(slots['source.udid'], { value: TEST_UDID, origin: { kind: 'backup', file: 'Info.plist / Manifest.plist' } });
    });

    it('types each unknown: password needed, wrong password, store absent, one file unreadable, not recorded', () => {
      const closed = unknownManagement('The backup is encrypted and no password was given, so its configuration-profile store was not read.');
      const needsPassword = sourceSlotsFromInspection(inspection(closed, { encrypted: true, passwordOutcome: 'not-given' }));
      assert.deepEqual(needsPassword['source.supervisedAtBackup'], {
        reason: { code: 'backup-encrypted-needs-password', detail: 'The backup is encrypted and no password was given, so its configuration-profile store was not read.' },
      });
      // The inspection's own typed outcome says the password was refused.
      const refused = sourceSlotsFromInspection(inspection(closed, { encrypted: true, passwordOutcome: 'refused' }));
      assert.equal('reason' in refused['source.supervisedAtBackup'] && refused['source.supervisedAtBackup'].reason.code, 'backup-wrong-password');

      const absent = sourceSlotsFromInspection(inspection(unknownManagement('Manifest.db lists no item of its domain.')));
      // Encrypted, but the store was never reached for another reason: that reason is given, not the password.
      const noDb = sourceSlotsFromInspection(inspection(unknownManagement('Manifest.db is missing.'), { encrypted: true, passwordOutcome: null }));
      assert.deepEqual(noDb['source.supervisedAtBackup'], { reason: { code: 'backup-store-absent', detail: 'Manifest.db is missing.' } });
      assert.deepEqual(absent['source.mdmEnrolledAtBackup'], { reason: { code: 'backup-store-absent', detail: 'Manifest.db lists no item of its domain.' } });

      const damaged = sourceSlotsFromInspection(
        inspection({
          supervised: null,
          mdmEnrolled: true,
          organizationName: null,
          sources: [
            { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: CLOUD_PATH, facts: [], detail: 'CloudConfigurationDetails.plist is not a property list.' },
            { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: stubPath('com.example.mdm'), facts: ['mdmEnrolled'], detail: 'The MDM profile.' },
          ],
        }),
      );
      assert.deepEqual(damaged['source.supervisedAtBackup'], { reason: { code: 'backup-file-unreadable', detail: 'CloudConfigurationDetails.plist is not a property list.' } });
      assert.equal('value' in damaged['source.mdmEnrolledAtBackup'] && damaged['source.mdmEnrolledAtBackup'].value, true);

      const anonymous = sourceSlotsFromInspection(inspection(closed, { device: { ...inspection(closed).device, udid: null, iosVersion: null } }));
      assert.deepEqual(anonymous['source.udid'], { reason: { code: 'backup-not-recorded' } });
    });

    it('a malformed iOS version becomes unknown for the rules, with the text the backup holds', () => {
      const slots = sourceSlotsFromInspection(inspection(unknownManagement('x'), { device: { ...inspection(unknownManagement('x')).device, iosVersion: 'sixteen' } }));
      const resolved = resolveFacts(slots);
      assert.equal(resolved.source.iosVersion, undefined);
      assert.deepEqual(resolved.unknown['source.iosVersion'], { code: 'malformed-version', detail: 'sixteen' });
    });
  });

  describe('reading a backup folder', () => {
    let root: string;
    beforeEach(async () => {
      root = await makeTempDir('iosbr-source-facts-');
    });
    afterEach(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    it('a plain backup of a supervised, enrolled device: both facts known, from the store\'s files', async () => {
      const dir = await writeTestBackup(root, { items: [...testItems(), ...supervisedEnrolledStore()] });
      const { slots } = await readBackupSourceFacts(dir);
      assert.deepEqual(slots['source.supervisedAtBackup'], { value: true, origin: { kind: 'backup', file: CLOUD_FILE } });
      const mdm = slots['source.mdmEnrolledAtBackup'];
      assert.ok('value' in mdm && mdm.value === true && mdm.origin.kind === 'backup' && /profile-.*\.stub$/.test(mdm.origin.file), JSON.stringify(mdm));
    });

    it('an unsupervised device without MDM reads as false/false', async () => {
      const store = [...storeFolders(), storeFile(CLOUD_PATH, encodePlist(cloudConfiguration({ supervised: false })))];
      const dir = await writeTestBackup(root, { items: [...otherItems(), ...store] });
      const { slots } = await readBackupSourceFacts(dir);
      assert.equal('value' in slots['source.supervisedAtBackup'] && slots['source.supervisedAtBackup'].value, false);
      assert.equal('value' in slots['source.mdmEnrolledAtBackup'] && slots['source.mdmEnrolledAtBackup'].value, false);
    });

    it('ignores an old facts file of ours left in the folder: the backup\'s own files decide', async () => {
      const dir = await writeTestBackup(root, { items: otherItems() });
      await fs.writeFile(path.join(dir, 'iosbr-backup-facts.json'), JSON.stringify({ formatVersion: 1, udid: TEST_UDID, supervised: true, mdmEnrolled: true }));
      const { slots } = await readBackupSourceFacts(dir);
      assert.equal('reason' in slots['source.supervisedAtBackup'] && slots['source.supervisedAtBackup'].reason.code, 'backup-store-absent');
      assert.equal('reason' in slots['source.mdmEnrolledAtBackup'] && slots['source.mdmEnrolledAtBackup'].reason.code, 'backup-store-absent');
    });

    it('a FIFO named like the old facts file does not block the reading (nothing opens it)', async function () {
      if (process.platform === 'win32') this.skip();
      const dir = await writeTestBackup(root, { items: [...testItems(), ...supervisedEnrolledStore()] });
      execFileSync('mkfifo', [path.join(dir, 'iosbr-backup-facts.json')]);
      const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still pending after 5 s')), 5000).unref());
      const { slots } = await Promise.race([readBackupSourceFacts(dir), timer]);
      assert.equal('value' in slots['source.supervisedAtBackup'] && slots['source.supervisedAtBackup'].value, true);
    });

    it('an encrypted backup: read with the password, asked without it, wrong password said as such', async () => {
      const dir = await writeEncryptedStoreBackup(root, [...otherItems(), ...supervisedEnrolledStore()]);
      await fs.writeFile(path.join(dir, 'Info.plist'), encodeInfoPlist(testInfo()));
      await fs.writeFile(path.join(dir, 'Status.plist'), encodeStatusPlist(testStatus()));
      const opened = await readBackupSourceFacts(dir, { password: PASSWORD });
      assert.deepEqual(opened.slots['source.supervisedAtBackup'], { value: true, origin: { kind: 'backup', file: CLOUD_FILE } });
      const closed = await readBackupSourceFacts(dir);
      assert.equal('reason' in closed.slots['source.supervisedAtBackup'] && closed.slots['source.supervisedAtBackup'].reason.code, 'backup-encrypted-needs-password');
      const wrong = await readBackupSourceFacts(dir, { password: 'not it' });
      assert.equal('reason' in wrong.slots['source.mdmEnrolledAtBackup'] && wrong.slots['source.mdmEnrolledAtBackup'].reason.code, 'backup-wrong-password');
    });
  });
});
