import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { encodeInfoPlist } from '../../../../src/backup/format/infoPlist';
import { encodeStatusPlist } from '../../../../src/backup/format/statusPlist';
import { readBackupSnapshot } from '../../../../src/ui/compat/backupSnapshot';
import { makeTempDir, TEST_DATE, TEST_UDID, testInfo, testItems, testStatus, writeTestBackup } from '../../../builders/testBackupBuilder';
import { otherItems, PASSWORD, supervisedEnrolledStore, writeEncryptedStoreBackup } from '../../../builders/profileStoreFixtures';

describe('ui/compat: backup snapshot', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('iosbr-compat-');
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('reads identity from the plists and the device state from the backup\'s configuration-profile store', async () => {
    const dir = await writeTestBackup(root, { items: [...testItems(), ...supervisedEnrolledStore()] });
    const snapshot = await readBackupSnapshot(dir);
    assert.equal(snapshot.udid, TEST_UDID);
    assert.equal(snapshot.deviceName, 'Support iPhone');
    assert.equal(snapshot.iosVersion, '16.1');
    assert.deepEqual(snapshot.date, TEST_DATE);
    assert.equal(snapshot.unreadable, undefined);
    const supervised = snapshot.source?.['source.supervisedAtBackup'];
    assert.ok(supervised && 'value' in supervised && supervised.value === true && supervised.origin.kind === 'backup', JSON.stringify(supervised));
    assert.match(supervised.origin.kind === 'backup' ? supervised.origin.file : '', /CloudConfigurationDetails\.plist$/);
  });

  it('never takes the UDID from the folder name, and a backup without the store leaves the state unknown with the reason', async () => {
    const dir = await writeTestBackup(root, { info: null, manifest: null });
    const snapshot = await readBackupSnapshot(dir);
    assert.equal(snapshot.udid, undefined);
    assert.equal(snapshot.iosVersion, undefined);
    const mdm = snapshot.source?.['source.mdmEnrolledAtBackup'];
    assert.ok(mdm && 'reason' in mdm, JSON.stringify(mdm));
  });

  it('opens an encrypted backup\'s store with the saved password, and asks without one', async () => {
    const dir = await writeEncryptedStoreBackup(root, [...otherItems(), ...supervisedEnrolledStore()]);
    await fs.writeFile(path.join(dir, 'Info.plist'), encodeInfoPlist(testInfo()));
    await fs.writeFile(path.join(dir, 'Status.plist'), encodeStatusPlist(testStatus()));
    const opened = (await readBackupSnapshot(dir, PASSWORD)).source?.['source.mdmEnrolledAtBackup'];
    assert.ok(opened && 'value' in opened && opened.value === true, JSON.stringify(opened));
    const closed = (await readBackupSnapshot(dir)).source?.['source.mdmEnrolledAtBackup'];
    assert.equal(closed && 'reason' in closed ? closed.reason.code : undefined, 'backup-encrypted-needs-password');
  });

  it('says why a folder is not usable', async () => {
    const snapshot = await readBackupSnapshot(path.join(root, 'missing'));
    assert.match(snapshot.unreadable ?? '', /is not a backup folder/);
    assert.equal(snapshot.source, undefined);
  });
});
