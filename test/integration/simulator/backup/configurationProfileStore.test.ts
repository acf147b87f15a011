import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseWrappedKeyBlob } from '../../../../src/backup/crypto/wrappedKeyBlob';
import { unlockEncryptedBackup } from '../../../../src/backup/crypto/encryptedBackupSource';
import { BackupReader, type BackupContentSource, type BackupEntry } from '../../../../src/backup/format/backupReader';
import { MANIFEST_FLAGS } from '../../../../src/backup/format/manifestDb';
import { getArray, getString, isPlistDict, parsePlist, type PlistDict } from '../../../../src/plist';
import {
  CLOUD_CONFIGURATION_PATH,
  CONFIGURATION_PROFILES_DOMAIN,
  PROFILE_EVENTS_PATH,
  PROFILE_STORE_PROTECTION_CLASS,
  PROFILE_STUB_PATH,
} from '../../../../src/simulator/dataset/configurationProfileStore';
import { parseScenario } from '../../../../src/simulator/scenario';
import { run, skipWithoutTools, startSimulator, type SimulatorHarness } from '../../../helpers/simulatorHarness';

const SUPERVISED = '00008110-000A61B2C3D4E01E';
const SUPERVISED_ENCRYPTED = '00008110-000A62B2C3D4E01E';
const UNMANAGED = '00008110-000A63B2C3D4E01E';
const ORGANIZATION = 'Contoso Logistics';
// The scenario gives the device its backup password (encryption already on), so no password goes on idevicebackup2's argv.
const PASSWORD = 'store-Pa55word';
/** Largest store file read whole: the backup is untrusted even when we made it. */
const MAX_PLIST_BYTES = 1024 * 1024;

const scenario = parseScenario({
  devices: [
    { udid: SUPERVISED, name: 'Fleet iPhone', supervised: true, mdm: 'enrolled', organizationName: ORGANIZATION, dataset: { files: 30, totalBytes: 300_000, seed: 61 } },
    {
      udid: SUPERVISED_ENCRYPTED, name: 'Encrypted Fleet iPhone', supervised: true, mdm: 'enrolled', organizationName: ORGANIZATION, backupPassword: PASSWORD,
      keybagIterations: { sha256: 1000, sha1: 10 }, dataset: { files: 30, totalBytes: 300_000, seed: 62 },
    },
    { udid: UNMANAGED, name: 'Personal iPhone', dataset: { files: 30, totalBytes: 300_000, seed: 63 } },
  ],
});

async function readPlist(reader: BackupReader, entry: BackupEntry): Promise<PlistDict> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of await reader.openEntry(entry)) {
    total += (chunk as Buffer).length;
    assert.ok(total <= MAX_PLIST_BYTES, `${entry.relativePath} is far larger than a plist of the store`);
    chunks.push(chunk as Buffer);
  }
  const value = parsePlist(Buffer.concat(chunks));
  assert.ok(isPlistDict(value), `${entry.relativePath} is a dictionary`);
  return value;
}

/** Opens the backup with our reader (decrypting through `source` when given), runs `check`, and closes it. */
async function withReader(dir: string, source: BackupContentSource | undefined, check: (reader: BackupReader) => Promise<void>): Promise<void> {
  const reader = await BackupReader.open(dir, source);
  try {
    await check(reader);
  } finally {
    reader.close();
  }
}

/** Every name in the folder, recursively, relative to it. */
function namesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

/** A backup folder as the device and idevicebackup2 leave it: the four plists/database and the hashed-file folders, nothing of ours. */
function assertOnlyDeviceFiles(backupDir: string): void {
  assert.deepEqual(namesIn(backupDir).filter((n) => /(^|\/)iosbr-/.test(n)), [], 'no file of ours in the folder');
  const top = readdirSync(backupDir).filter((n) => !/^[0-9a-f]{2}$/.test(n)).sort();
  assert.deepEqual(top, ['Info.plist', 'Manifest.db', 'Manifest.plist', 'Status.plist']);
}

/** The store's rows, checked for the folder rows, the protection class and (encrypted) a per-file key of that class. */
async function storeEntries(reader: BackupReader, encrypted: boolean): Promise<Map<string, BackupEntry>> {
  const rows = await reader.listEntries({ domain: CONFIGURATION_PROFILES_DOMAIN });
  const folders = rows.filter((r) => r.flags === MANIFEST_FLAGS.directory).map((r) => r.relativePath);
  assert.deepEqual(folders, ['', 'Library', 'Library/ConfigurationProfiles']);
  const files = new Map<string, BackupEntry>();
  for (const row of rows.filter((r) => r.flags === MANIFEST_FLAGS.file)) {
    assert.equal(row.kind, 'file');
    assert.equal(row.record?.protectionClass, PROFILE_STORE_PROTECTION_CLASS, `${row.relativePath}: protection class`);
    if (encrypted) {
      assert.ok(row.record?.encryptionKey, `${row.relativePath} has its own EncryptionKey`);
      assert.equal(parseWrappedKeyBlob(row.record.encryptionKey, row.relativePath).protectionClass, PROFILE_STORE_PROTECTION_CLASS);
    } else {
      assert.equal(row.record?.encryptionKey, undefined);
    }
    files.set(row.relativePath, row);
  }
  return files;
}

/** The store of a supervised, MDM-enrolled device, as our readers find it in the backup. */
async function assertSupervisedEnrolledStore(reader: BackupReader, encrypted: boolean): Promise<void> {
  const files = await storeEntries(reader, encrypted);
  const stubs = [...files.keys()].filter((p) => PROFILE_STUB_PATH.test(p));
  assert.equal(stubs.length, 1, 'one installed profile');
  assert.deepEqual([...files.keys()].sort(), [CLOUD_CONFIGURATION_PATH, PROFILE_EVENTS_PATH, stubs[0]].sort());

  const cloud = await readPlist(reader, files.get(CLOUD_CONFIGURATION_PATH)!);
  assert.equal(cloud.IsSupervised, true);
  assert.equal(cloud.OrganizationName, ORGANIZATION);
  assert.equal(cloud.IsMandatory, true);
  assert.equal(cloud.IsMDMUnremovable, true);
  assert.equal(cloud.CloudConfigurationUIComplete, true);
  assert.match(getString(cloud, 'ConfigurationURL') ?? '', /^https:\/\/[^/]+\//);

  const stub = await readPlist(reader, files.get(stubs[0])!);
  assert.equal(stub.PayloadType, 'Configuration');
  assert.equal(stub.PayloadOrganization, ORGANIZATION);
  const mdm = (getArray(stub, 'PayloadContent') ?? []).filter((p): p is PlistDict => isPlistDict(p) && p.PayloadType === 'com.apple.mdm');
  assert.equal(mdm.length, 1, 'the profile is the MDM enrolment');
  assert.match(getString(mdm[0], 'ServerURL') ?? '', /^https:\/\//);
  assert.match(getString(mdm[0], 'Topic') ?? '', /^com\.apple\.mgmt\.External\./);

  const events = getArray(await readPlist(reader, files.get(PROFILE_EVENTS_PATH)!), 'ProfileEvents') ?? [];
  assert.equal(events.length, 1);
  const install = (events[0] as PlistDict)[getString(stub, 'PayloadIdentifier') ?? ''];
  assert.ok(isPlistDict(install), 'the event names the installed profile');
  assert.deepEqual([install.process, install.operation], ['profiled', 'install']);
}

/** Debian's idevicebackup2 backing up simulated devices: their configuration-profile store arrives as a real device's does. */
describe("the simulated device's configuration-profile store in idevicebackup2 backups", function () {
  // lid 1.3.0 sometimes waits 30 s for a TLS close_notify after StopSession.
  this.timeout(600_000);
  let h: SimulatorHarness;
  let root: string;
  const backup = async (udid: string, full: boolean): Promise<string> => {
    const r = await run('idevicebackup2', ['-u', udid, 'backup', ...(full ? ['--full'] : []), root], h.env, { timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Backup Successful\./);
    return path.join(root, udid);
  };

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2');
    h = await startSimulator(scenario);
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-profile-store-'));
  });
  after(async () => {
    if (h) await h.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a supervised, MDM-enrolled device: CloudConfigurationDetails, the MDM profile stub and MCProfileEvents, read by our own reader', async () => {
    const dir = await backup(SUPERVISED, true);
    assertOnlyDeviceFiles(dir);
    await withReader(dir, undefined, (reader) => assertSupervisedEnrolledStore(reader, false));
  });

  it('the same device encrypted: the store files carry their own keys of the store\'s class and decrypt with the password', async () => {
    const dir = await backup(SUPERVISED_ENCRYPTED, true);
    assertOnlyDeviceFiles(dir);
    await assert.rejects(BackupReader.open(dir), /encrypted/i, 'the plain reader refuses it: it really is encrypted');
    const unlocked = await unlockEncryptedBackup(dir, PASSWORD);
    await withReader(dir, unlocked.source, (reader) => assertSupervisedEnrolledStore(reader, true));
  });

  it('an unsupervised device without MDM: a cloud configuration saying IsSupervised false, no profile stub', async () => {
    const dir = await backup(UNMANAGED, true);
    assertOnlyDeviceFiles(dir);
    await withReader(dir, undefined, async (reader) => {
      const files = await storeEntries(reader, false);
      assert.deepEqual([...files.keys()].sort(), [CLOUD_CONFIGURATION_PATH, PROFILE_EVENTS_PATH]);
      const cloud = await readPlist(reader, files.get(CLOUD_CONFIGURATION_PATH)!);
      assert.equal(cloud.IsSupervised, false);
      assert.equal(cloud.OrganizationName, undefined);
      assert.equal(cloud.ConfigurationURL, undefined);
      assert.deepEqual(getArray(await readPlist(reader, files.get(PROFILE_EVENTS_PATH)!), 'ProfileEvents'), []);
    });
  });

  it('an incremental backup sends none of the store again while the management state stays the same', async () => {
    await backup(SUPERVISED, false);
    const report = h.simulator.device(SUPERVISED)?.lastBackup;
    assert.equal(report?.mode, 'incremental');
    assert.equal(report?.outcome, 'finished');
    assert.deepEqual(report?.uploadedFileIds, []);
    await withReader(path.join(root, SUPERVISED), undefined, (reader) => assertSupervisedEnrolledStore(reader, false));
  });
});
