import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { unlockEncryptedBackup } from '../../../../src/backup/crypto/encryptedBackupSource';
import { BackupReader } from '../../../../src/backup/format/backupReader';
import { computeFileId, hashedFilePath } from '../../../../src/backup/format/fileId';
import { readBackupManagement as readFromContractFile, type BackupManagement } from '../../../../src/backup/inspect/backupManagement';
import { CONFIGURATION_PROFILES_DOMAIN, STORE_FILE_MAX_BYTES } from '../../../../src/backup/inspect/configurationProfileStore';
import { readBackupManagement, unknownManagement } from '../../../../src/backup/inspect/readBackupManagement';
import { isCancelledError } from '../../../../src/common/errors';
import { makeTempDir, writeTestBackup, type TestBackupItem } from '../../../builders/testBackupBuilder';
import {
  CLOUD_PATH,
  cloudConfiguration,
  encodePlist,
  EVENTS_PATH,
  MDM_INSTALL_DATE,
  MDM_PROFILE_ID,
  mdmStub,
  otherItems,
  PASSWORD,
  profileEvents,
  STORE_FOLDER,
  storeFile,
  storeFolders,
  stubPath,
  supervisedEnrolledStore,
  wifiStub,
  writeEncryptedStoreBackup,
} from '../../../builders/profileStoreFixtures';

describe('backup/inspect readBackupManagement: the management state from the backup\'s configuration-profile store', function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(async () => (root = await makeTempDir('iosbr-management-')));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  async function plainBackup(items: TestBackupItem[]): Promise<string> {
    return writeTestBackup(root, { items: [...otherItems(), ...items] });
  }

  async function readPlain(items: TestBackupItem[], signal?: AbortSignal): Promise<BackupManagement> {
    return readFolder(await plainBackup(items), signal);
  }

  async function readFolder(dir: string, signal?: AbortSignal): Promise<BackupManagement> {
    const reader = await BackupReader.open(dir);
    try {
      return await readBackupManagement(reader, { signal });
    } finally {
      reader.close();
    }
  }

  function sourceFor(management: BackupManagement, relativePath: string): BackupManagement['sources'][number] {
    const found = management.sources.find((s) => s.relativePath === relativePath);
    assert.ok(found, `no source for ${relativePath} in ${JSON.stringify(management.sources)}`);
    assert.equal(found.domain, CONFIGURATION_PROFILES_DOMAIN);
    return found;
  }

  function assertOneSentence(detail: string): void {
    assert.match(detail, /^[A-Z0-9].*\.$/s, `not a sentence: ${detail}`);
    assert.doesNotMatch(detail, /\b(ENOENT|EISDIR|ELOOP|EFBIG|EINVAL)\b/, `raw errno code in: ${detail}`);
  }

  function assertAllSentences(management: BackupManagement): void {
    for (const source of management.sources) assertOneSentence(source.detail);
  }

  for (const encoding of ['binary', 'xml'] as const) {
    it(`reads a supervised, MDM-enrolled device from ${encoding} plists, each fact naming its file`, async () => {
      const management = await readPlain(supervisedEnrolledStore(encoding));
      assert.equal(management.supervised, true);
      assert.equal(management.mdmEnrolled, true);
      assert.equal(management.organizationName, 'Example Corp');

      const cloud = sourceFor(management, CLOUD_PATH);
      assert.deepEqual(cloud.facts, ['supervised', 'organizationName']);
      assert.match(cloud.detail, /supervised by Example Corp/);
      assert.match(cloud.detail, /Automated Device Enrollment with the enrolment URL https:\/\/mdm\.example\.com\/enroll/);

      const mdm = sourceFor(management, stubPath(MDM_PROFILE_ID));
      assert.deepEqual(mdm.facts, ['mdmEnrolled']);
      assert.match(mdm.detail, /"Device Management" \(com\.example\.mdm\.enrollment\) has an MDM payload \(com\.apple\.mdm\) for the server https:\/\/mdm\.example\.com\/mdm\/server/);

      const events = sourceFor(management, EVENTS_PATH);
      assert.deepEqual(events.facts, []);
      assert.match(events.detail, new RegExp(`installed on ${MDM_INSTALL_DATE.toISOString().replace(/\./g, '\\.')} by profiled`));
      assertAllSentences(management);
    });
  }

  it('reads the same facts from an encrypted backup, decrypting only the store\'s files with the password', async () => {
    const dir = await writeEncryptedStoreBackup(root, [...otherItems(), ...supervisedEnrolledStore('binary')]);
    const unlocked = await unlockEncryptedBackup(dir, PASSWORD);
    const reader = await BackupReader.open(dir, unlocked.source);
    try {
      const management = await readBackupManagement(reader);
      assert.equal(management.supervised, true);
      assert.equal(management.mdmEnrolled, true);
      assert.equal(management.organizationName, 'Example Corp');
      assert.deepEqual(sourceFor(management, stubPath(MDM_PROFILE_ID)).facts, ['mdmEnrolled']);
      assert.ok(!JSON.stringify(management).includes(PASSWORD));
    } finally {
      reader.close();
    }
  });

  it('an encrypted stub cut short makes enrolment unknown with a sentence, not a failure', async () => {
    const items = [...storeFolders(), storeFile(CLOUD_PATH, encodePlist(cloudConfiguration({ supervised: true, organizationName: 'Example Corp' }))), storeFile(stubPath(MDM_PROFILE_ID), encodePlist(mdmStub()))];
    const dir = await writeEncryptedStoreBackup(root, items);
    const contentPath = hashedFilePath(dir, computeFileId(CONFIGURATION_PROFILES_DOMAIN, stubPath(MDM_PROFILE_ID)));
    const ciphertext = await fs.readFile(contentPath);
    await fs.writeFile(contentPath, ciphertext.subarray(0, ciphertext.length - 7));
    const unlocked = await unlockEncryptedBackup(dir, PASSWORD);
    const reader = await BackupReader.open(dir, unlocked.source);
    try {
      const management = await readBackupManagement(reader);
      assert.equal(management.supervised, true);
      assert.equal(management.mdmEnrolled, null);
      const stub = sourceFor(management, stubPath(MDM_PROFILE_ID));
      assert.deepEqual(stub.facts, []);
      assert.match(stub.detail, /could not be read/);
      assertAllSentences(management);
    } finally {
      reader.close();
    }
  });

  it('an unsupervised device without MDM reads false/false, every profile named', async () => {
    const management = await readPlain([
      ...storeFolders(),
      storeFile(CLOUD_PATH, encodePlist({ AllowPairing: true, CloudConfigurationUIComplete: true, IsSupervised: false })),
      storeFile(EVENTS_PATH, encodePlist(profileEvents())),
      storeFile(stubPath('com.example.wifi'), encodePlist(wifiStub())),
    ]);
    assert.equal(management.supervised, false);
    assert.equal(management.mdmEnrolled, false);
    // A Wi-Fi profile's organisation is not the device's managing organisation.
    assert.equal(management.organizationName, null);
    assert.deepEqual(sourceFor(management, CLOUD_PATH).facts, ['supervised']);
    const wifi = sourceFor(management, stubPath('com.example.wifi'));
    assert.deepEqual(wifi.facts, ['mdmEnrolled']);
    assert.match(wifi.detail, /"Office Wi-Fi" \(com\.example\.wifi\) has no MDM payload \(its payloads: com\.apple\.wifi\.managed\)/);
    // The event log only adds to an enrolment; without one it is not cited.
    assert.equal(management.sources.some((s) => s.relativePath === EVENTS_PATH), false);
    assertAllSentences(management);
  });

  it('a backed-up store without a cloud configuration or profiles reads not supervised and not enrolled', async () => {
    const management = await readPlain(storeFolders());
    assert.equal(management.supervised, false);
    assert.equal(management.mdmEnrolled, false);
    assert.equal(management.organizationName, null);
    const cloud = sourceFor(management, CLOUD_PATH);
    assert.deepEqual(cloud.facts, ['supervised']);
    assert.match(cloud.detail, /holds no cloud configuration/);
    const folder = sourceFor(management, STORE_FOLDER);
    assert.deepEqual(folder.facts, ['mdmEnrolled']);
    assert.match(folder.detail, /holds no installed profile/);
    assertAllSentences(management);
  });

  it('a backup without the store leaves every fact unknown, with one sentence saying so', async () => {
    const management = await readPlain([]);
    assert.deepEqual(
      { supervised: management.supervised, mdmEnrolled: management.mdmEnrolled, organizationName: management.organizationName },
      { supervised: null, mdmEnrolled: null, organizationName: null },
    );
    assert.equal(management.sources.length, 1);
    assert.deepEqual(management.sources[0].facts, []);
    assert.match(management.sources[0].detail, /does not hold the configuration-profile store/);
    assertAllSentences(management);
  });

  it('a stub that is not a property list makes enrolment unknown, naming the stub', async () => {
    const management = await readPlain([
      ...storeFolders(),
      storeFile(CLOUD_PATH, encodePlist(cloudConfiguration({ supervised: true, organizationName: 'Example Corp' }))),
      storeFile(stubPath('com.example.broken'), Buffer.from('this is not a plist')),
      storeFile(stubPath('com.example.wifi'), encodePlist(wifiStub())),
    ]);
    assert.equal(management.supervised, true);
    assert.equal(management.mdmEnrolled, null);
    const broken = sourceFor(management, stubPath('com.example.broken'));
    assert.deepEqual(broken.facts, []);
    assert.match(broken.detail, /not a readable property list/);
    assert.match(sourceFor(management, STORE_FOLDER).detail, /One installed profile could not be judged/);
    assertAllSentences(management);
  });

  it('an unreadable stub does not hide an enrolment found in another one', async () => {
    const management = await readPlain([
      ...storeFolders(),
      storeFile(stubPath('com.example.broken'), Buffer.from('garbage')),
      storeFile(stubPath(MDM_PROFILE_ID), encodePlist(mdmStub())),
    ]);
    assert.equal(management.mdmEnrolled, true);
  });

  it('refuses a store file larger than 1 MiB without reading it whole', async () => {
    const huge = Buffer.alloc(STORE_FILE_MAX_BYTES + 1, 0x20);
    const management = await readPlain([...storeFolders(), storeFile(CLOUD_PATH, huge), storeFile(stubPath(MDM_PROFILE_ID), huge)]);
    assert.equal(management.supervised, null);
    assert.equal(management.mdmEnrolled, null);
    assert.match(sourceFor(management, CLOUD_PATH).detail, /larger than 1048576 bytes/);
    assert.match(sourceFor(management, stubPath(MDM_PROFILE_ID)).detail, /larger than 1048576 bytes/);
    assertAllSentences(management);
  });

  it('refuses a stub whose content file is a folder, with a sentence', async () => {
    const dir = await plainBackup([...storeFolders(), storeFile(stubPath(MDM_PROFILE_ID), encodePlist(mdmStub()))]);
    const contentPath = hashedFilePath(dir, computeFileId(CONFIGURATION_PROFILES_DOMAIN, stubPath(MDM_PROFILE_ID)));
    await fs.rm(contentPath);
    await fs.mkdir(contentPath);
    const management = await readFolder(dir);
    assert.equal(management.mdmEnrolled, null);
    assert.match(sourceFor(management, stubPath(MDM_PROFILE_ID)).detail, /is a folder, not a file/);
    assertAllSentences(management);
  });

  for (const where of ['inside', 'outside'] as const) {
    it(`refuses a stub whose content file is a symlink to a valid enrolment profile ${where} the backup, with a sentence`, async () => {
      const dir = await plainBackup([...storeFolders(), storeFile(stubPath(MDM_PROFILE_ID), encodePlist(mdmStub()))]);
      const contentPath = hashedFilePath(dir, computeFileId(CONFIGURATION_PROFILES_DOMAIN, stubPath(MDM_PROFILE_ID)));
      const target = where === 'inside' ? path.join(dir, 'real.stub') : path.join(root, 'outside.stub');
      await fs.rename(contentPath, target);
      await fs.symlink(target, contentPath);
      const management = await readFolder(dir);
      assert.equal(management.mdmEnrolled, null);
      const detail = sourceFor(management, stubPath(MDM_PROFILE_ID)).detail;
      assert.match(detail, where === 'inside' ? /is a symlink, and links are never followed/ : /leads outside the backup/);
      assertAllSentences(management);
    });
  }

  it('refuses a stub that Manifest.db lists as a symlink or a folder', async () => {
    const management = await readPlain([
      ...storeFolders(),
      { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: stubPath('com.example.link'), kind: 'symlink', target: '/private/var/mobile/evil.stub' },
      { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: stubPath('com.example.dir'), kind: 'directory' },
    ]);
    assert.equal(management.mdmEnrolled, null);
    assert.match(sourceFor(management, stubPath('com.example.link')).detail, /lists it as a symlink, not as a file/);
    assert.match(sourceFor(management, stubPath('com.example.dir')).detail, /lists it as a folder, not as a file/);
    assertAllSentences(management);
  });

  it('a missing stub content file makes enrolment unknown, saying the file is missing', async () => {
    const management = await readPlain([...storeFolders(), { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: stubPath(MDM_PROFILE_ID), kind: 'file', recordedSize: 900 }]);
    assert.equal(management.mdmEnrolled, null);
    assert.match(sourceFor(management, stubPath(MDM_PROFILE_ID)).detail, /missing from the backup folder/);
  });

  it('more than 256 profiles without an enrolment among the first 256 leaves enrolment unknown; an enrolment among them still counts', async () => {
    const wifi = (i: number): TestBackupItem => storeFile(stubPath(`com.example.wifi.${i}`), encodePlist(wifiStub(`com.example.wifi.${i}`)));
    const many = Array.from({ length: 257 }, (_, i) => wifi(i));
    const management = await readPlain([...storeFolders(), ...many]);
    assert.equal(management.mdmEnrolled, null);
    assert.match(sourceFor(management, STORE_FOLDER).detail, /holds 257 installed profiles, more than the 256 read/);
    assertAllSentences(management);

    await fs.rm(root, { recursive: true, force: true });
    root = await makeTempDir('iosbr-management-');
    // Stubs are read in path order; an all-zero hash sorts first.
    const firstPath = `${STORE_FOLDER}/profile-${'0'.repeat(40)}.stub`;
    const withEnrolment = await readPlain([...storeFolders(), ...many, storeFile(firstPath, encodePlist(mdmStub()))]);
    assert.equal(withEnrolment.mdmEnrolled, true);
    assert.deepEqual(sourceFor(withEnrolment, firstPath).facts, ['mdmEnrolled']);
  });

  it('a domain with more rows than a device\'s store has is not walked to the end, and absence proves nothing then', async function () {
    this.timeout(90_000);
    const rows: TestBackupItem[] = Array.from({ length: 10_001 }, (_, i) => ({ domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: `Library/Padding/${String(i).padStart(5, '0')}`, kind: 'directory' }));
    const management = await readPlain(rows);
    assert.equal(management.supervised, null);
    assert.equal(management.mdmEnrolled, null);
    assert.match(sourceFor(management, STORE_FOLDER).detail, /more than 10000 items/);
    assertAllSentences(management);
  });

  it('takes the organisation from the MDM profile when the cloud configuration names none', async () => {
    const management = await readPlain([
      ...storeFolders(),
      storeFile(CLOUD_PATH, encodePlist(cloudConfiguration({ supervised: true }))),
      storeFile(stubPath(MDM_PROFILE_ID), encodePlist(mdmStub({ organization: 'Example Corp IT' }))),
    ]);
    assert.equal(management.organizationName, 'Example Corp IT');
    assert.deepEqual(sourceFor(management, stubPath(MDM_PROFILE_ID)).facts, ['mdmEnrolled', 'organizationName']);
    assert.deepEqual(sourceFor(management, CLOUD_PATH).facts, ['supervised']);
  });

  it('a cloud configuration without IsSupervised means not supervised; one with a non-boolean value is unknown', async () => {
    const missingKey = await readPlain([...storeFolders(), storeFile(CLOUD_PATH, encodePlist({ AllowPairing: true, OrganizationName: 'Example Corp' }))]);
    assert.equal(missingKey.supervised, false);
    assert.equal(missingKey.organizationName, 'Example Corp');
    await fs.rm(root, { recursive: true, force: true });
    root = await makeTempDir('iosbr-management-');
    const oddValue = await readPlain([...storeFolders(), storeFile(CLOUD_PATH, encodePlist({ IsSupervised: 1, OrganizationName: 'Example Corp' }))]);
    assert.equal(oddValue.supervised, null);
    assert.equal(oddValue.organizationName, null);
    assert.match(sourceFor(oddValue, CLOUD_PATH).detail, /IsSupervised value is not true or false/);
  });

  it('a cloud configuration that is not a dictionary leaves supervision unknown', async () => {
    const management = await readPlain([...storeFolders(), storeFile(CLOUD_PATH, Buffer.from('<?xml version="1.0"?><plist version="1.0"><array><true/></array></plist>'))]);
    assert.equal(management.supervised, null);
    assert.match(sourceFor(management, CLOUD_PATH).detail, /not a dictionary/);
  });

  it('an encrypted profile (no PayloadContent) cannot rule out an enrolment', async () => {
    const management = await readPlain([
      ...storeFolders(),
      storeFile(stubPath('com.example.sealed'), encodePlist({ PayloadType: 'Configuration', PayloadIdentifier: 'com.example.sealed', IsEncrypted: true, EncryptedPayloadContent: Buffer.from([1, 2, 3]) })),
    ]);
    assert.equal(management.mdmEnrolled, null);
    assert.match(sourceFor(management, stubPath('com.example.sealed')).detail, /stored encrypted/);
  });

  it('prints names from the backup without terminal control characters', async () => {
    const management = await readPlain([...storeFolders(), storeFile(CLOUD_PATH, encodePlist(cloudConfiguration({ supervised: true, organizationName: '\u001b[2J\u001b]0;pwned\u0007Evil\nCorp' })))]);
    assert.equal(management.organizationName, '[2J ]0;pwned Evil Corp');
    for (const source of management.sources) assert.doesNotMatch(source.detail, /[\u0000-\u001f]/);
  });

  it('stops with a CancelledError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readPlain(supervisedEnrolledStore(), controller.signal), (e) => isCancelledError(e));
  });

  it('is also exported next to the shape it returns, and unknownManagement says why nothing is known', async () => {
    assert.equal(readFromContractFile, readBackupManagement);
    const unknown = unknownManagement('The backup is encrypted and no password was given, so its configuration-profile store was not read.');
    assert.deepEqual(unknown, {
      supervised: null,
      mdmEnrolled: null,
      organizationName: null,
      sources: [
        {
          domain: CONFIGURATION_PROFILES_DOMAIN,
          relativePath: STORE_FOLDER,
          facts: [],
          detail: 'The backup is encrypted and no password was given, so its configuration-profile store was not read.',
        },
      ],
    });
  });
});
