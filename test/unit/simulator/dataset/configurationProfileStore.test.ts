import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { linkSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { computeFileId } from '../../../../src/backup/format/fileId';
import { buildBinaryPlist, buildXmlPlist, getArray, getString, isPlistDict, parsePlist, type PlistDict } from '../../../../src/plist';
import {
  CLOUD_CONFIGURATION_PATH,
  CONFIGURATION_PROFILES_DOMAIN,
  configurationProfileStore,
  PROFILE_EVENTS_PATH,
  PROFILE_STORE_PROTECTION_CLASS,
  profileStubPath,
} from '../../../../src/simulator/dataset/configurationProfileStore';
import { SimulatedDataset } from '../../../../src/simulator/dataset/simulatedDataset';
import type { ManagedDevice } from '../../../../src/simulator/deviceManagement';
import { mdmEnrollmentFor } from '../../../../src/simulator/mdmEnrollment';
import { managementFromProfileStore } from '../../../../src/simulator/restore/cloudConfiguration';
import { contentDigest } from '../../../../src/simulator/restore/contentDigest';
import { withDeviceProfileStore } from '../../../../src/simulator/restore/restoredProfileStore';
import { RestoreStaging } from '../../../../src/simulator/restore/restoreStaging';
import type { StoredEntry } from '../../../../src/simulator/restore/storedContent';

const SUPERVISED_ENROLLED: ManagedDevice = { supervised: true, mdm: 'enrolled', organizationName: 'Example Corp' };
const ENROLLED_ONLY: ManagedDevice = { supervised: false, mdm: 'enrolled', organizationName: 'Example Corp' };
const SUPERVISED_ONLY: ManagedDevice = { supervised: true, mdm: 'none', organizationName: 'Kiosk Fleet' };
const UNMANAGED: ManagedDevice = { supervised: false, mdm: 'none', organizationName: 'Example Corp' };
const SPEC = { files: 40, totalBytes: 400_000, seed: 5, generation: 0 };

function dictOf(bytes: Buffer): PlistDict {
  assert.equal(bytes.subarray(0, 8).toString('latin1'), 'bplist00', 'a binary plist, as profiled writes');
  const value = parsePlist(bytes);
  assert.ok(isPlistDict(value));
  return value;
}

function fileOf(device: ManagedDevice, relativePath: string): PlistDict {
  const file = configurationProfileStore(device).find((f) => f.relativePath === relativePath);
  assert.ok(file, `${relativePath} is in the store`);
  return dictOf(file.bytes);
}

describe('the simulated configuration-profile store', () => {
  it('a supervised, enrolled device: the cloud configuration names the MDM, one MDM profile stub, one install event', () => {
    const enrollment = mdmEnrollmentFor('Example Corp');
    const stubPath = profileStubPath(enrollment.profileIdentifier);
    assert.match(stubPath, /^Library\/ConfigurationProfiles\/profile-[0-9a-f]{40}\.stub$/);
    assert.equal(stubPath, `Library/ConfigurationProfiles/profile-${createHash('sha1').update(enrollment.profileIdentifier).digest('hex')}.stub`);
    assert.deepEqual(configurationProfileStore(SUPERVISED_ENROLLED).map((f) => f.relativePath).sort(), [CLOUD_CONFIGURATION_PATH, PROFILE_EVENTS_PATH, stubPath].sort());

    const cloud = fileOf(SUPERVISED_ENROLLED, CLOUD_CONFIGURATION_PATH);
    assert.equal(cloud.IsSupervised, true);
    assert.equal(cloud.OrganizationName, 'Example Corp');
    assert.equal(cloud.CloudConfigurationUIComplete, true);
    assert.equal(cloud.AllowPairing, true);
    assert.equal(cloud.IsMandatory, true);
    assert.equal(cloud.IsMDMUnremovable, true);
    assert.match(getString(cloud, 'ConfigurationURL') ?? '', /^https:\/\/[a-z0-9.-]+\/\S+$/);

    const stub = fileOf(SUPERVISED_ENROLLED, stubPath);
    assert.equal(stub.PayloadType, 'Configuration');
    assert.equal(stub.PayloadIdentifier, enrollment.profileIdentifier);
    assert.equal(stub.PayloadOrganization, 'Example Corp');
    assert.equal(stub.PayloadVersion, 1);
    assert.ok(stub.InstallDate instanceof Date);
    assert.match(getString(stub, 'PayloadUUID') ?? '', /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    const payloads = getArray(stub, 'PayloadContent') ?? [];
    assert.equal(payloads.length, 1);
    const mdm = payloads[0] as PlistDict;
    assert.equal(mdm.PayloadType, 'com.apple.mdm');
    assert.equal(mdm.AccessRights, 8191);
    assert.equal(mdm.SignMessage, true);
    assert.match(getString(mdm, 'ServerURL') ?? '', /^https:\/\//);
    assert.match(getString(mdm, 'CheckInURL') ?? '', /^https:\/\//);
    assert.match(getString(mdm, 'Topic') ?? '', /^com\.apple\.mgmt\.External\.[0-9A-F-]{36}$/);

    const events = getArray(fileOf(SUPERVISED_ENROLLED, PROFILE_EVENTS_PATH), 'ProfileEvents') ?? [];
    assert.equal(events.length, 1);
    const event = (events[0] as PlistDict)[enrollment.profileIdentifier] as PlistDict;
    assert.deepEqual([event.process, event.operation, event.timestamp instanceof Date], ['profiled', 'install', true]);
  });

  it('an enrolled but unsupervised device has the stub, and a cloud configuration that names no MDM', () => {
    const cloud = fileOf(ENROLLED_ONLY, CLOUD_CONFIGURATION_PATH);
    assert.equal(cloud.IsSupervised, false);
    assert.equal(cloud.OrganizationName, 'Example Corp');
    assert.equal(cloud.ConfigurationURL, undefined);
    assert.equal(cloud.IsMDMUnremovable, undefined);
    assert.ok(configurationProfileStore(ENROLLED_ONLY).some((f) => f.relativePath.endsWith('.stub')));
    const supervisedOnly = fileOf(SUPERVISED_ONLY, CLOUD_CONFIGURATION_PATH);
    assert.deepEqual([supervisedOnly.IsSupervised, supervisedOnly.OrganizationName, supervisedOnly.ConfigurationURL], [true, 'Kiosk Fleet', undefined]);
  });

  it('an unmanaged device still has its cloud configuration (IsSupervised false, no organisation) and an empty event log', () => {
    const store = configurationProfileStore(UNMANAGED);
    assert.deepEqual(store.map((f) => f.relativePath), [CLOUD_CONFIGURATION_PATH, PROFILE_EVENTS_PATH]);
    const cloud = fileOf(UNMANAGED, CLOUD_CONFIGURATION_PATH);
    assert.deepEqual(cloud, { AllowPairing: true, CloudConfigurationUIComplete: true, IsSupervised: false });
    assert.deepEqual(fileOf(UNMANAGED, PROFILE_EVENTS_PATH), { ProfileEvents: [] });
  });

  it('is the same from one build to the next, and its dates change when the management state does', () => {
    assert.deepEqual(configurationProfileStore(SUPERVISED_ENROLLED), configurationProfileStore({ ...SUPERVISED_ENROLLED }));
    const before = configurationProfileStore(UNMANAGED).find((f) => f.relativePath === CLOUD_CONFIGURATION_PATH)!;
    const after = configurationProfileStore({ ...UNMANAGED, supervised: true }).find((f) => f.relativePath === CLOUD_CONFIGURATION_PATH)!;
    assert.notDeepEqual(after.bytes, before.bytes);
    assert.notEqual(after.lastModified, before.lastModified);
    assert.ok(after.lastModified >= after.birth);
  });
});

describe('the simulated dataset with its configuration-profile store', () => {
  it('holds the store within the `files` and `totalBytes` budget, as files of its domain with their folders', () => {
    for (const device of [UNMANAGED, SUPERVISED_ENROLLED]) {
      const dataset = SimulatedDataset.build(SPEC, device);
      assert.equal(dataset.files().length, SPEC.files);
      assert.equal(dataset.totalFileBytes(), SPEC.totalBytes);
      const store = configurationProfileStore(device);
      const entries = dataset.entries.filter((e) => e.domain === CONFIGURATION_PROFILES_DOMAIN);
      assert.deepEqual(
        entries.map((e) => `${e.kind}:${e.relativePath}`),
        ['directory:', 'directory:Library', 'directory:Library/ConfigurationProfiles', ...store.map((f) => `file:${f.relativePath}`)],
      );
      for (const file of store) {
        const entry = entries.find((e) => e.relativePath === file.relativePath)!;
        assert.equal(entry.fileID, computeFileId(CONFIGURATION_PROFILES_DOMAIN, file.relativePath));
        assert.equal(entry.size, file.bytes.length);
        assert.equal(entry.protectionClass, PROFILE_STORE_PROTECTION_CLASS);
        assert.equal(entry.lastModified, file.lastModified);
        assert.deepEqual(Buffer.concat([...dataset.content(entry, 7)]), file.bytes, 'served in chunks, byte for byte');
      }
    }
  });

  it('a device whose budget cannot hold the store and another file has none', () => {
    assert.equal(SimulatedDataset.build({ files: 2, totalBytes: 100_000, seed: 1, generation: 0 }).entries.some((e) => e.domain === CONFIGURATION_PROFILES_DOMAIN), false);
    assert.equal(SimulatedDataset.build({ files: 10, totalBytes: 20, seed: 1, generation: 0 }).entries.some((e) => e.domain === CONFIGURATION_PROFILES_DOMAIN), false);
    assert.equal(SimulatedDataset.build({ files: 3, totalBytes: 3000, seed: 1, generation: 0 }).files().length, 3);
  });

  it('a generation bump leaves the store alone', () => {
    const g0 = SimulatedDataset.build(SPEC, SUPERVISED_ENROLLED);
    const g5 = SimulatedDataset.build({ ...SPEC, generation: 5 }, SUPERVISED_ENROLLED);
    const store = (d: SimulatedDataset) => d.entries.filter((e) => e.domain === CONFIGURATION_PROFILES_DOMAIN);
    assert.deepEqual(store(g5), store(g0));
  });

  it('the content digest leaves the store out, so a device holding the same data in another management state compares equal', () => {
    const withSha = (d: SimulatedDataset) => d.entries.map((e) => ({ ...e, sha256: e.kind === 'file' ? createHash('sha256').update(Buffer.concat([...d.content(e)])).digest('hex') : undefined }));
    const unmanaged = withSha(SimulatedDataset.build(SPEC, UNMANAGED));
    const supervisedStore = withSha(SimulatedDataset.build(SPEC, SUPERVISED_ENROLLED)).filter((e) => e.domain === CONFIGURATION_PROFILES_DOMAIN);
    const sameDataSupervised = [...unmanaged.filter((e) => e.domain !== CONFIGURATION_PROFILES_DOMAIN), ...supervisedStore];
    assert.equal(contentDigest(sameDataSupervised).digest, contentDigest(unmanaged).digest);
    assert.equal(contentDigest(sameDataSupervised).fileCount, SPEC.files + 1, 'the counts include the store (the supervised one has a stub more)');
    const firstFile = unmanaged.findIndex((e) => e.kind === 'file' && e.domain !== CONFIGURATION_PROFILES_DOMAIN);
    const oneFileChanged = unmanaged.map((e, i) => (i === firstFile ? { ...e, sha256: '00' } : e));
    assert.notEqual(contentDigest(oneFileChanged).digest, contentDigest(unmanaged).digest, 'any other file still counts');
  });
});

describe('the management state a restored configuration-profile store records', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-profile-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const staged = (device: ManagedDevice) =>
    configurationProfileStore(device).map((f) => {
      const stagedPath = path.join(dir, f.relativePath.replace(/\//g, '_'));
      writeFileSync(stagedPath, f.bytes);
      return { relativePath: f.relativePath, stagedPath };
    });

  it('reads supervision from the cloud configuration and MDM enrolment from the cloud configuration or the profile stub', () => {
    assert.deepEqual(managementFromProfileStore(staged(SUPERVISED_ENROLLED))?.management, { supervised: true, mdm: 'enrolled' });
    assert.deepEqual(managementFromProfileStore(staged(ENROLLED_ONLY))?.management, { supervised: false, mdm: 'enrolled' }, 'the stub alone says enrolled');
    assert.deepEqual(managementFromProfileStore(staged(SUPERVISED_ONLY))?.management, { supervised: true, mdm: 'none' });
    assert.deepEqual(managementFromProfileStore(staged(UNMANAGED))?.management, { supervised: false, mdm: 'none' });
    const withoutStub = staged(SUPERVISED_ENROLLED).filter((f) => !f.relativePath.endsWith('.stub'));
    assert.deepEqual(managementFromProfileStore(withoutStub)?.management, { supervised: true, mdm: 'enrolled' }, 'ConfigurationURL names the MDM');
    assert.match(managementFromProfileStore(staged(ENROLLED_ONLY))!.evidence.join(' '), /profile-[0-9a-f]{40}\.stub is an MDM enrolment profile/);
  });

  it('says nothing for a backup without the store, and ignores files that are not what they claim', () => {
    assert.equal(managementFromProfileStore([]), undefined);
    const garbage = path.join(dir, 'garbage');
    writeFileSync(garbage, 'not a plist');
    assert.equal(managementFromProfileStore([{ relativePath: CLOUD_CONFIGURATION_PATH, stagedPath: garbage }]), undefined);
    const notMdm = path.join(dir, 'wifi.stub');
    writeFileSync(notMdm, buildXmlPlist({ PayloadType: 'Configuration', PayloadContent: [{ PayloadType: 'com.apple.wifi.managed' }] }));
    const stubPath = profileStubPath('com.example.wifi');
    assert.deepEqual(managementFromProfileStore([{ relativePath: stubPath, stagedPath: notMdm }])?.management, { supervised: false, mdm: 'none' });
    const huge = path.join(dir, 'huge');
    writeFileSync(huge, Buffer.concat([buildBinaryPlist({ IsSupervised: true }), Buffer.alloc(2 * 1024 * 1024)]));
    assert.equal(managementFromProfileStore([{ relativePath: CLOUD_CONFIGURATION_PATH, stagedPath: huge }]), undefined, 'a cloud configuration over 1 MiB is not read');
  });
});

describe("the restored device's configuration-profile store", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-restored-store-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function stageStore(staging: RestoreStaging, device: ManagedDevice): StoredEntry[] {
    return SimulatedDataset.build(SPEC, device).entries.filter((e) => e.domain === CONFIGURATION_PROFILES_DOMAIN).map((e) => {
      const bytes = configurationProfileStore(device).find((f) => f.relativePath === e.relativePath)?.bytes;
      if (bytes) writeFileSync(staging.contentPath(e.fileID), bytes);
      return { ...e, sha256: bytes ? createHash('sha256').update(bytes).digest('hex') : undefined };
    });
  }

  it('is the store of the state after the restore: the backup\'s files when that state returns, else the resulting state\'s', () => {
    const staging = RestoreStaging.create(root);
    const restored = stageStore(staging, SUPERVISED_ENROLLED);
    const same = withDeviceProfileStore(restored, SUPERVISED_ENROLLED, staging);
    assert.equal(contentDigest(same).fileCount, 3);
    for (const file of configurationProfileStore(SUPERVISED_ENROLLED)) {
      const fileID = computeFileId(CONFIGURATION_PROFILES_DOMAIN, file.relativePath);
      assert.deepEqual(readFileSync(staging.contentPath(fileID)), file.bytes);
      assert.equal(same.find((e) => e.fileID === fileID)?.lastModified, file.lastModified);
    }

    const other = RestoreStaging.create(root);
    const lost = withDeviceProfileStore(stageStore(other, SUPERVISED_ENROLLED), UNMANAGED, other);
    assert.deepEqual(lost.filter((e) => e.kind === 'file').map((e) => e.relativePath), [CLOUD_CONFIGURATION_PATH, PROFILE_EVENTS_PATH].sort());
    const stub = computeFileId(CONFIGURATION_PROFILES_DOMAIN, profileStubPath(mdmEnrollmentFor('Example Corp').profileIdentifier));
    assert.throws(() => readFileSync(other.contentPath(stub)), /ENOENT/, 'the stub of the enrolment that did not come along is gone');
    assert.equal(dictOf(readFileSync(other.contentPath(computeFileId(CONFIGURATION_PROFILES_DOMAIN, CLOUD_CONFIGURATION_PATH)))).IsSupervised, false);
  });

  it('adds the store and its folders when the restore left none, and never writes through a hard link to kept content', () => {
    const staging = RestoreStaging.create(root);
    const cloudID = computeFileId(CONFIGURATION_PROFILES_DOMAIN, CLOUD_CONFIGURATION_PATH);
    const earlier = path.join(root, 'earlier-content');
    writeFileSync(earlier, 'kept bytes of an earlier restore');
    linkSync(earlier, staging.contentPath(cloudID));
    const kept: StoredEntry = {
      domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: CLOUD_CONFIGURATION_PATH, fileID: cloudID, kind: 'file', size: 32, mode: 0o100644, inode: 7,
      birth: 1, lastModified: 2, protectionClass: 3, contentVersion: 0, sha256: undefined,
    };
    const out = withDeviceProfileStore([kept], SUPERVISED_ONLY, staging);
    assert.deepEqual(out.filter((e) => e.kind === 'directory').map((e) => e.relativePath), ['', 'Library', 'Library/ConfigurationProfiles']);
    assert.equal(readFileSync(earlier, 'utf8'), 'kept bytes of an earlier restore');
    assert.equal(dictOf(readFileSync(staging.contentPath(cloudID))).IsSupervised, true);
    assert.equal(new Set(out.map((e) => e.inode)).size, out.length, 'every item has its own inode');
  });
});
