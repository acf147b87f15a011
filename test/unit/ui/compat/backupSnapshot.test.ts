import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { backupFactsFromDevice } from '../../../../src/backup/engine/backupFacts';
import { BACKUP_FACTS_FILE, parseBackupFactsSidecar } from '../../../../src/ui/compat/backupFactsSidecar';
import { listBackupSnapshots, readBackupSnapshot } from '../../../../src/ui/compat/backupSnapshot';
import { makeTempDir, TEST_DATE, TEST_UDID, writeTestBackup } from '../../backup/format/testBackupBuilder';

describe('ui/compat: backup snapshot', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('iosbr-compat-');
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('reads identity from the plists and the device state from our sidecar', async () => {
    const dir = await writeTestBackup(root);
    await fs.writeFile(path.join(dir, BACKUP_FACTS_FILE), JSON.stringify(backupFactsFromDevice({ udid: TEST_UDID, connectionType: 'USB', iosVersion: '16.1', supervised: true, mdm: 'enrolled', paired: true }, new Date())));
    const snapshot = await readBackupSnapshot(dir);
    assert.equal(snapshot.udid, TEST_UDID);
    assert.equal(snapshot.deviceName, 'Support iPhone');
    assert.equal(snapshot.iosVersion, '16.1');
    assert.deepEqual(snapshot.date, TEST_DATE);
    assert.deepEqual(snapshot.sidecar, { status: 'recorded', facts: { udid: TEST_UDID, iosVersion: '16.1', supervised: true, mdm: 'enrolled' } });
    assert.equal(snapshot.unreadable, undefined);
  });

  it('marks a backup without the sidecar as not ours, and never takes the UDID from the folder name', async () => {
    const dir = await writeTestBackup(root, { info: null, manifest: null });
    const snapshot = await readBackupSnapshot(dir);
    assert.deepEqual(snapshot.sidecar, { status: 'absent' });
    assert.equal(snapshot.udid, undefined);
    assert.equal(snapshot.iosVersion, undefined);
  });

  it('says why a folder is not usable', async () => {
    const snapshot = await readBackupSnapshot(path.join(root, 'missing'));
    assert.match(snapshot.unreadable ?? '', /is not a backup folder/);
  });

  it('lists the backups under a root, newest first, and nothing for a missing root', async () => {
    await writeTestBackup(root, { udid: 'AAA', status: { date: new Date('2023-01-01T00:00:00Z'), snapshotState: 'finished' } });
    await writeTestBackup(root, { udid: 'BBB', status: { date: new Date('2024-01-01T00:00:00Z'), snapshotState: 'finished' } });
    await fs.mkdir(path.join(root, 'not-a-backup'));
    const list = await listBackupSnapshots(root);
    assert.deepEqual(list.map((b) => path.basename(b.dir)), ['BBB', 'AAA']);
    assert.deepEqual(await listBackupSnapshots(path.join(root, 'nowhere')), []);
  });

  it('reads the record the backup engine writes, and checks each field on its own', () => {
    const written = backupFactsFromDevice({ udid: TEST_UDID, connectionType: 'USB', paired: true, iosVersion: '17.2', supervised: false, mdm: 'none' }, new Date());
    assert.deepEqual(parseBackupFactsSidecar(JSON.stringify(written)), { status: 'recorded', facts: { udid: TEST_UDID, iosVersion: '17.2', supervised: false, mdm: 'none' } });
    assert.deepEqual(parseBackupFactsSidecar(JSON.stringify({ ...written, mdmEnrolled: null, supervised: null })), { status: 'recorded', facts: { udid: TEST_UDID, iosVersion: '17.2' } }, 'null: not known at backup time');
    assert.deepEqual(parseBackupFactsSidecar(JSON.stringify({ supervised: 'yes', mdmEnrolled: 'maybe', iosVersion: 16 })), { status: 'recorded', facts: {} });
    assert.equal(parseBackupFactsSidecar('{').status, 'unreadable');
    assert.equal(parseBackupFactsSidecar('[1]').status, 'unreadable');
  });
});
