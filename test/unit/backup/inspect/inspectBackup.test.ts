import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IN_PROGRESS_MARKER } from '../../../../src/backup/format/backupFolder';
import { encodeInfoPlist, INFO_PLIST_FILE } from '../../../../src/backup/format/infoPlist';
import { MANIFEST_DB_FILE } from '../../../../src/backup/format/manifestDb';
import { encodeStatusPlist, STATUS_PLIST_FILE } from '../../../../src/backup/format/statusPlist';
import { MAX_INSPECTED_APPS } from '../../../../src/backup/inspect/backupApps';
import { inspectBackup } from '../../../../src/backup/inspect/inspectBackup';
import { isCancelledError, isUsageError } from '../../../../src/common/errors';
import { buildBinaryPlist, buildXmlPlist } from '../../../../src/plist';
import { PASSWORD, writeEncryptedBackup } from '../../../builders/encryptedBackupBuilder';
import { TEST_DATE, TEST_UDID, makeTempDir, testInfo, testItems, testManifest, testStatus, writeTestBackup } from '../../../builders/testBackupBuilder';
import { withoutField } from '../../../builders/withoutField';
import { assertNoBareErrnoCode } from '../../../helpers/bareErrnoCode';

const PROFILES_DOMAIN = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles';
const CLOUD_CONFIGURATION = 'Library/ConfigurationProfiles/CloudConfigurationDetails.plist';

async function sumOfFileSizes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** An iTunesMetadata blob as the App Store writes it (a binary plist). */
function metadata(fields: Record<string, string>): Buffer {
  return buildBinaryPlist(fields);
}

async function rejectsAsUsage(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isUsageError(err), `expected a UsageError, got ${String(err)}`);
    assert.match((err as Error).message, pattern);
    return true;
  });
}

describe('backup/inspect inspectBackup', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-inspect-');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('describes a plain, complete backup: device, date, size, apps, largest domains', async () => {
    const dir = await writeTestBackup(root);
    const inspection = await inspectBackup(dir);
    assert.equal(inspection.backupDir, dir);
    assert.equal(inspection.passwordOutcome, 'not-needed');
    assert.deepEqual(inspection.device, {
      name: 'Support iPhone',
      productType: 'iPhone14,5',
      marketingName: 'iPhone 13',
      iosVersion: '16.1',
      buildVersion: '20B82',
      udid: TEST_UDID,
      serialNumber: 'F2LTESTSERIAL',
    });
    assert.equal(inspection.backupDate, TEST_DATE.toISOString());
    assert.equal(inspection.encrypted, false);
    assert.equal(inspection.complete, true);
    assert.deepEqual(inspection.incompleteReasons, []);
    assert.equal(inspection.totalBytes, await sumOfFileSizes(dir));
    assert.deepEqual(inspection.apps, { count: 1, items: [{ bundleId: 'com.example.notes', name: null }] });
    const home = testItems().filter((i) => i.domain === 'HomeDomain' && i.kind === 'file');
    const media = testItems().filter((i) => i.domain === 'MediaDomain' && i.kind === 'file');
    const bytesOf = (items: typeof home) => items.reduce((sum, i) => sum + (i.content?.length ?? 0), 0);
    assert.deepEqual(inspection.largestDomains, [
      { domain: 'HomeDomain', bytes: bytesOf(home), files: home.length },
      { domain: 'MediaDomain', bytes: bytesOf(media), files: media.length },
    ]);
    assert.deepEqual(inspection.problems, []);
  });

  it('reads the management state from the configuration-profile store in a plain backup and names the file', async () => {
    const cloudConfiguration = Buffer.from(buildXmlPlist({ IsSupervised: true, OrganizationName: 'Example Corp', CloudConfigurationUIComplete: true }), 'utf8');
    const dir = await writeTestBackup(root, {
      items: [...testItems(), { domain: PROFILES_DOMAIN, relativePath: CLOUD_CONFIGURATION, kind: 'file', content: cloudConfiguration }],
    });
    const { management, largestDomains } = await inspectBackup(dir);
    assert.equal(management.supervised, true);
    const source = management.sources.find((s) => s.relativePath === CLOUD_CONFIGURATION);
    assert.ok(source, `no source names ${CLOUD_CONFIGURATION}: ${JSON.stringify(management.sources)}`);
    assert.equal(source.domain, PROFILES_DOMAIN);
    assert.ok(source.facts.includes('supervised'));
    assert.ok(largestDomains.some((d) => d.domain === PROFILES_DOMAIN && d.bytes === cloudConfiguration.length));
  });

  it('takes the device fields from Manifest.plist when Info.plist is missing, and calls the backup incomplete', async () => {
    const dir = await writeTestBackup(root, { info: null });
    const inspection = await inspectBackup(dir);
    assert.equal(inspection.device.name, 'Support iPhone');
    assert.equal(inspection.device.udid, TEST_UDID);
    assert.equal(inspection.device.iosVersion, '16.1');
    assert.equal(inspection.complete, false);
    assert.deepEqual(inspection.incompleteReasons, ['Info.plist is missing.']);
  });

  describe('encrypted backups', () => {
    async function writeEncrypted(): Promise<string> {
      const dir = await writeEncryptedBackup(root);
      await fs.writeFile(path.join(dir, INFO_PLIST_FILE), encodeInfoPlist(testInfo()));
      await fs.writeFile(path.join(dir, STATUS_PLIST_FILE), encodeStatusPlist(testStatus()));
      return dir;
    }

    it('with the password: the domains are measured from the decrypted Manifest.db', async () => {
      const dir = await writeEncrypted();
      const inspection = await inspectBackup(dir, { password: PASSWORD });
      assert.equal(inspection.encrypted, true);
      assert.equal(inspection.complete, true);
      assert.deepEqual(inspection.largestDomains, [
        { domain: 'HomeDomain', bytes: 70_001, files: 1 },
        { domain: 'KeychainDomain', bytes: 'secret keychain bytes'.length, files: 1 },
        { domain: 'MediaDomain', bytes: 0, files: 1 },
      ]);
      assert.deepEqual(inspection.problems, []);
      assert.ok(!JSON.stringify(inspection).includes(PASSWORD), 'the password is not in the inspection');
      assert.equal(inspection.passwordOutcome, 'opens');
    });

    it('without a password: everything but the file list and management state, and problems says a password is needed', async () => {
      const dir = await writeEncrypted();
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.encrypted, true);
      assert.equal(inspection.device.udid, TEST_UDID);
      assert.equal(inspection.complete, true);
      assert.equal(inspection.apps.count, 1);
      assert.deepEqual(inspection.largestDomains, []);
      assert.deepEqual([inspection.management.supervised, inspection.management.mdmEnrolled, inspection.management.organizationName], [null, null, null]);
      assert.match(inspection.management.sources.map((s) => s.detail).join(' '), /password/);
      assert.equal(inspection.problems.length, 1);
      assert.match(inspection.problems[0], /encrypted.*password is needed for the file list and the management state/);
      assert.equal(inspection.passwordOutcome, 'not-given');
    });

    it('with a wrong password: management unknown, and problems says the password does not open the backup', async () => {
      const dir = await writeEncrypted();
      const inspection = await inspectBackup(dir, { password: 'not the password' });
      assert.deepEqual(inspection.largestDomains, []);
      assert.equal(inspection.management.supervised, null);
      assert.equal(inspection.management.mdmEnrolled, null);
      assert.match(inspection.management.sources.map((s) => s.detail).join(' '), /password/);
      assert.ok(inspection.problems.some((p) => /password given does not open this backup/.test(p)), inspection.problems.join('\n'));
      assert.ok(!JSON.stringify(inspection).includes('not the password'));
      assert.equal(inspection.passwordOutcome, 'refused');
    });

    it('stops with a CancelledError when aborted', async () => {
      const dir = await writeEncrypted();
      const abort = new AbortController();
      abort.abort();
      await assert.rejects(inspectBackup(dir, { password: PASSWORD, signal: abort.signal }), (err: unknown) => isCancelledError(err));
    });
  });

  describe('complete or not', () => {
    it('an unfinished snapshot is incomplete, saying what Status.plist says', async () => {
      const dir = await writeTestBackup(root, { status: { ...testStatus(), snapshotState: 'uploading' } });
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.complete, false);
      assert.equal(inspection.incompleteReasons.length, 1);
      assert.match(inspection.incompleteReasons[0], /SnapshotState is "uploading", not "finished"/);
    });

    it('a missing Status.plist is incomplete, and the date falls back to Manifest.plist', async () => {
      const manifestDate = new Date('2024-05-06T07:30:00Z');
      const dir = await writeTestBackup(root, { status: null, manifest: { ...testManifest(), date: manifestDate } });
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.complete, false);
      assert.deepEqual(inspection.incompleteReasons, ['Status.plist is missing.']);
      assert.equal(inspection.backupDate, manifestDate.toISOString());
    });

    it('the date falls back to Info.plist when neither Status.plist nor Manifest.plist has one', async () => {
      const dir = await writeTestBackup(root, { status: null, manifest: withoutField(testManifest(), 'date') });
      assert.equal((await inspectBackup(dir)).backupDate, testInfo().lastBackupDate?.toISOString());
    });

    it('an empty Manifest.db, an unparsable Status.plist and our in-progress marker are each a reason', async () => {
      const dir = await writeTestBackup(root);
      await fs.writeFile(path.join(dir, MANIFEST_DB_FILE), '');
      await fs.writeFile(path.join(dir, STATUS_PLIST_FILE), 'not a plist');
      await fs.writeFile(path.join(dir, IN_PROGRESS_MARKER), '');
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.complete, false);
      assert.equal(inspection.incompleteReasons.length, 3, inspection.incompleteReasons.join('\n'));
      assert.match(inspection.incompleteReasons.join('\n'), /in progress or was interrupted/);
      assert.match(inspection.incompleteReasons.join('\n'), /Manifest\.db is empty\./);
      assert.match(inspection.incompleteReasons.join('\n'), /Status\.plist could not be read/);
      assert.ok(inspection.problems.some((p) => /Status\.plist.*not a valid property list/.test(p)), inspection.problems.join('\n'));
      assert.deepEqual(inspection.largestDomains, []);
      assert.equal(inspection.management.supervised, null);
    });

    it('a named pipe in place of Status.plist and a symlink in place of Info.plist are refused without waiting or following', async function () {
      if (process.platform === 'win32') this.skip();
      const dir = await writeTestBackup(root);
      const outside = path.join(root, 'outside.plist');
      await fs.writeFile(outside, encodeInfoPlist({ ...testInfo(), deviceName: 'Not This Backup' }));
      await fs.rm(path.join(dir, INFO_PLIST_FILE));
      await fs.symlink(outside, path.join(dir, INFO_PLIST_FILE));
      await fs.rm(path.join(dir, STATUS_PLIST_FILE));
      assert.equal(spawnSync('mkfifo', [path.join(dir, STATUS_PLIST_FILE)]).status, 0);
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.device.name, 'Support iPhone', 'the name comes from Manifest.plist, not through the link');
      assert.equal(inspection.complete, false);
      assert.match(inspection.incompleteReasons.join('\n'), /Info\.plist because it is a symlink/);
      assert.match(inspection.incompleteReasons.join('\n'), /Status\.plist because it is a named pipe/);
    });

    it('a folder in place of Manifest.plist is a reason in one sentence, with no errno code alone', async () => {
      const dir = await writeTestBackup(root);
      await fs.rm(path.join(dir, 'Manifest.plist'));
      await fs.mkdir(path.join(dir, 'Manifest.plist'));
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.encrypted, null);
      assert.ok(inspection.incompleteReasons.some((r) => /Manifest\.plist because it is a folder, not a file/.test(r)), inspection.incompleteReasons.join('\n'));
      for (const text of [...inspection.incompleteReasons, ...inspection.problems]) assertNoBareErrnoCode(text);
    });
  });

  describe('the UDID is what the plists record, never the folder name', () => {
    it('a renamed folder keeps the recorded UDID and says the names differ', async () => {
      const dir = await writeTestBackup(root);
      const renamed = path.join(root, 'customer copy');
      await fs.rename(dir, renamed);
      const inspection = await inspectBackup(renamed);
      assert.equal(inspection.device.udid, TEST_UDID);
      assert.equal(inspection.problems.length, 1, inspection.problems.join('\n'));
      assert.match(inspection.problems[0], /folder is named "customer copy" but the backup is of the device 00008110-000A1B2C3D4E801E \(Info\.plist Unique Identifier\)/);
    });

    it('a folder name in another letter case is the same device', async () => {
      const dir = await writeTestBackup(root, { udid: TEST_UDID.toLowerCase() });
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.device.udid, TEST_UDID);
      assert.deepEqual(inspection.problems, []);
    });

    it('falls back to Target Identifier, then to Manifest.plist, and never to the folder name', async () => {
      const withTarget = withoutField(testInfo(), 'uniqueIdentifier');
      let dir = await writeTestBackup(root, { info: { ...withTarget, targetIdentifier: '00008110-0000000000000001' } });
      assert.equal((await inspectBackup(dir)).device.udid, '00008110-0000000000000001');
      await fs.rm(dir, { recursive: true });

      const neither = withoutField(withTarget, 'targetIdentifier');
      dir = await writeTestBackup(root, { info: neither, manifest: { ...testManifest(), lockdown: { ...testManifest().lockdown, uniqueDeviceId: '00008110-0000000000000002' } } });
      const fromManifest = await inspectBackup(dir);
      assert.equal(fromManifest.device.udid, '00008110-0000000000000002');
      assert.ok(fromManifest.problems.some((p) => /folder is named/.test(p)));
      await fs.rm(dir, { recursive: true });

      dir = await writeTestBackup(root, { info: neither, manifest: withoutField(testManifest(), 'lockdown') });
      const unrecorded = await inspectBackup(dir);
      assert.equal(unrecorded.device.udid, null);
      assert.ok(unrecorded.problems.some((p) => /No plist records the device's UDID/.test(p)));
    });

    it('says so when Info.plist and Manifest.plist name different devices', async () => {
      const dir = await writeTestBackup(root, { manifest: testManifest('00008110-00000000000000FF') });
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.device.udid, TEST_UDID);
      assert.ok(inspection.problems.some((p) => /the two plists describe different devices/.test(p)), inspection.problems.join('\n'));
    });
  });

  describe('apps', () => {
    it('joins Applications and Installed Applications, with names from iTunesMetadata where it has one', async () => {
      const info = {
        ...testInfo(),
        applications: {
          'com.example.maps': { ApplicationSINF: Buffer.from('sinf'), iTunesMetadata: metadata({ itemName: 'Maps Pro', bundleDisplayName: 'Maps' }) },
          'com.example.chat': { ApplicationSINF: Buffer.from('sinf'), iTunesMetadata: metadata({ bundleDisplayName: 'Chat' }) },
          'com.example.broken': { ApplicationSINF: Buffer.from('sinf'), iTunesMetadata: Buffer.from('not a plist') },
          'com.example.bare': {},
        },
        installedApplications: ['com.example.notes', 'com.example.maps'],
      };
      const dir = await writeTestBackup(root, { info });
      const { apps, problems } = await inspectBackup(dir);
      assert.deepEqual(apps, {
        count: 5,
        items: [
          { bundleId: 'com.example.bare', name: null },
          { bundleId: 'com.example.broken', name: null },
          { bundleId: 'com.example.chat', name: 'Chat' },
          { bundleId: 'com.example.maps', name: 'Maps Pro' },
          { bundleId: 'com.example.notes', name: null },
        ],
      });
      assert.deepEqual(problems, []);
    });

    it("uses Manifest.plist's Applications when Info.plist lists none", async () => {
      const dir = await writeTestBackup(root, {
        info: { ...testInfo(), applications: {}, installedApplications: [] },
        manifest: { ...testManifest(), applications: { 'com.example.b': { CFBundleIdentifier: 'com.example.b' }, 'com.example.a': {} } },
      });
      assert.deepEqual((await inspectBackup(dir)).apps, { count: 2, items: [{ bundleId: 'com.example.a', name: null }, { bundleId: 'com.example.b', name: null }] });
    });

    it('cleans hostile names, leaves out what is not a bundle id and caps the list', async () => {
      const many = Array.from({ length: MAX_INSPECTED_APPS + 5 }, (_, i) => `com.example.app${String(i).padStart(5, '0')}`);
      const info = {
        ...testInfo(),
        deviceName: '\u001b[31mRed\u001b[0m iPhone',
        applications: { 'com.example.evil': { iTunesMetadata: metadata({ itemName: `Evil\u001b]0;title\u0007${'x'.repeat(1000)}` }) } },
        installedApplications: [...many, 'not a bundle id', ''],
      };
      const dir = await writeTestBackup(root, { info });
      const { apps, device, problems } = await inspectBackup(dir);
      assert.equal(device.name, '[31mRed [0m iPhone');
      assert.equal(apps.count, MAX_INSPECTED_APPS + 6);
      assert.equal(apps.items.length, MAX_INSPECTED_APPS);
      const evil = apps.items.find((a) => a.bundleId === 'com.example.evil');
      assert.equal(evil, undefined, 'sorted after the capped ones');
      assert.ok(problems.some((p) => /2 app entries were left out/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => new RegExp(`only the first ${MAX_INSPECTED_APPS} by bundle id`).test(p)), problems.join('\n'));
    });

    it('cuts a long app name and removes its control characters', async () => {
      const info = { ...testInfo(), applications: { 'com.example.evil': { iTunesMetadata: metadata({ itemName: `Evil\u001b]0;title\u0007${'x'.repeat(1000)}` }) } } };
      const { apps } = await inspectBackup(await writeTestBackup(root, { info }));
      const name = apps.items.find((a) => a.bundleId === 'com.example.evil')?.name ?? '';
      assert.doesNotMatch(name, /[\u0000-\u001f]/);
      assert.ok(Array.from(name).length <= 257, `name of ${name.length} characters`);
      assert.ok(name.startsWith('Evil ]0;title'));
    });
  });

  describe('what is not a backup', () => {
    it('refuses a folder without Info.plist, Manifest.plist or Manifest.db', async () => {
      const dir = path.join(root, 'photos');
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 'IMG_0001.JPG'), 'jpeg');
      await rejectsAsUsage(inspectBackup(dir), /is not a backup: it has no readable Info\.plist, Manifest\.plist or Manifest\.db/);
    });

    it('refuses a folder whose plists are unreadable and whose Manifest.db is missing', async () => {
      const dir = await writeTestBackup(root);
      await fs.writeFile(path.join(dir, INFO_PLIST_FILE), 'garbage');
      await fs.writeFile(path.join(dir, 'Manifest.plist'), 'garbage');
      await fs.rm(path.join(dir, MANIFEST_DB_FILE));
      await rejectsAsUsage(inspectBackup(dir), /is not a backup/);
    });

    it('refuses a path that does not exist, and a file', async () => {
      await rejectsAsUsage(inspectBackup(path.join(root, 'nowhere')), /does not exist/);
      await fs.writeFile(path.join(root, 'file'), 'x');
      await rejectsAsUsage(inspectBackup(path.join(root, 'file')), /is a file, and a backup is a folder/);
    });

    it('inspects a backup holding only Manifest.plist, saying what is missing', async () => {
      const dir = await writeTestBackup(root, { info: null, status: null });
      await fs.rm(path.join(dir, MANIFEST_DB_FILE));
      const inspection = await inspectBackup(dir);
      assert.equal(inspection.device.udid, TEST_UDID);
      assert.equal(inspection.encrypted, false);
      assert.deepEqual(inspection.incompleteReasons, ['Info.plist is missing.', 'Manifest.db is missing.', 'Status.plist is missing.']);
      assert.deepEqual(inspection.largestDomains, []);
      assert.equal(inspection.management.supervised, null);
    });
  });
});
