import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  IN_PROGRESS_MARKER,
  backupName,
  backupRootCandidates,
  defaultBackupRoot,
  describeBackup,
  folderSizeBytes,
  listBackups,
} from '../../../../src/backup/format/backupFolder';
import { isBackupError } from '../../../../src/common/errors';
import { TEST_DATE, TEST_UDID, makeTempDir, testStatus, writeTestBackup } from '../../../builders/testBackupBuilder';

async function sumOfFileSizes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

describe('backup/format backupFolder', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-backups-');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('describes a complete backup from binary plists', async () => {
    const dir = await writeTestBackup(root);
    const summary = await describeBackup(dir);
    assert.deepEqual(summary, {
      dir,
      udid: TEST_UDID,
      deviceName: 'Support iPhone',
      productType: 'iPhone14,5',
      iOSVersion: '16.1',
      buildVersion: '20B82',
      date: TEST_DATE,
      encrypted: false,
      sizeBytes: await sumOfFileSizes(dir),
      complete: true,
      notes: [],
    });
    assert.ok(summary.sizeBytes > 0);
  });

  it('describes a backup written with XML plists the same way', async () => {
    const dir = await writeTestBackup(root, { plistFormat: 'xml' });
    const summary = await describeBackup(dir);
    assert.equal(summary.complete, true);
    assert.equal(summary.deviceName, 'Support iPhone');
    assert.equal(summary.encrypted, false);
  });

  it('reports a backup in progress from the marker file', async () => {
    const dir = await writeTestBackup(root);
    await fs.writeFile(path.join(dir, IN_PROGRESS_MARKER), '');
    const summary = await describeBackup(dir);
    assert.equal(summary.complete, false);
    assert.match(summary.incompleteReason ?? '', /in progress or was interrupted/);
  });

  it('reports a missing Status.plist and an unfinished snapshot as incomplete', async () => {
    const missing = await describeBackup(await writeTestBackup(root, { udid: 'a'.repeat(40), status: null }));
    assert.equal(missing.complete, false);
    assert.equal(missing.incompleteReason, 'Status.plist is missing');
    assert.deepEqual(missing.notes, []);
    const unfinished = await describeBackup(await writeTestBackup(root, { udid: 'b'.repeat(40), status: { ...testStatus(), snapshotState: 'uploading' } }));
    assert.equal(unfinished.complete, false);
    assert.match(unfinished.incompleteReason ?? '', /SnapshotState is "uploading"/);
  });

  it('reports garbage in Info.plist as a note and falls back to Manifest.plist', async () => {
    const dir = await writeTestBackup(root);
    await fs.writeFile(path.join(dir, 'Info.plist'), 'this is not a plist');
    const summary = await describeBackup(dir);
    assert.equal(summary.complete, true);
    assert.equal(summary.deviceName, 'Support iPhone');
    assert.equal(summary.iOSVersion, '16.1');
    assert.equal(summary.udid, TEST_UDID);
    assert.equal(summary.notes.length, 1);
    assert.match(summary.notes[0], /^Cannot read Info\.plist because it is not a valid property list/);
  });

  it('never takes the UDID from the folder name when no plist names the device, and notes a missing Manifest.db', async () => {
    const dir = await writeTestBackup(root, { udid: 'c'.repeat(40), info: null, manifest: null });
    await fs.rm(path.join(dir, 'Manifest.db'));
    const summary = await describeBackup(dir);
    assert.equal(summary.udid, undefined);
    assert.equal(backupName(summary), 'c'.repeat(40), 'a message names the folder instead');
    assert.equal(summary.encrypted, undefined);
    assert.equal(summary.date?.getTime(), TEST_DATE.getTime());
    assert.equal(summary.notes.length, 3);
    assert.ok(summary.notes.some((n) => n.startsWith('Cannot read Info.plist because it does not exist')));
    assert.ok(summary.notes.some((n) => n.startsWith('Cannot read Manifest.plist because it does not exist')));
    assert.ok(summary.notes.some((n) => n.startsWith('Manifest.db is missing')));
  });

  it('throws only when the folder itself is missing or not a folder', async () => {
    await assert.rejects(describeBackup(path.join(root, 'nope')), (e: unknown) => isBackupError(e) && /does not exist/.test(e.message));
    await fs.writeFile(path.join(root, 'file'), 'x');
    await assert.rejects(describeBackup(path.join(root, 'file')), (e: unknown) => isBackupError(e) && /not a folder/.test(e.message));
  });

  it('lists backup folders, reports a bad one and skips the rest', async () => {
    await writeTestBackup(root, { udid: '00008110-000000000000AAAA' });
    const bad = path.join(root, '00008110-000000000000BBBB');
    await fs.mkdir(bad);
    await fs.writeFile(path.join(bad, 'Info.plist'), Buffer.from([0, 1, 2, 3]));
    await fs.mkdir(path.join(root, 'not-a-backup'));
    await fs.writeFile(path.join(root, '.DS_Store'), 'x');
    await fs.mkdir(path.join(root, '.hidden'));
    await fs.writeFile(path.join(root, '.hidden', 'Info.plist'), 'x');

    const listed = await listBackups(root);
    assert.deepEqual(listed.map((b) => path.basename(b.dir)), ['00008110-000000000000AAAA', '00008110-000000000000BBBB']);
    assert.equal(listed[0].complete, true);
    assert.equal(listed[1].complete, false);
    assert.equal(listed[1].udid, undefined, 'the folder name is not a UDID');
    assert.ok(listed[1].notes.some((n) => n.startsWith('Cannot read Info.plist')));
  });

  it('lists nothing for a root that does not exist and explains an unreadable one', async () => {
    assert.deepEqual(await listBackups(path.join(root, 'missing')), []);
    await fs.writeFile(path.join(root, 'plain-file'), 'x');
    await assert.rejects(listBackups(path.join(root, 'plain-file')), (e: unknown) => isBackupError(e) && e.code === 'backup.root-unreadable');
  });

  it('sums file sizes without following symlinks', async () => {
    await fs.mkdir(path.join(root, 'a', 'b'), { recursive: true });
    await fs.writeFile(path.join(root, 'a', 'one'), Buffer.alloc(100));
    await fs.writeFile(path.join(root, 'a', 'b', 'two'), Buffer.alloc(23));
    await fs.symlink(path.join(root, 'a', 'one'), path.join(root, 'link'));
    for (let i = 0; i < 150; i++) await fs.writeFile(path.join(root, `f${i}`), Buffer.alloc(2));
    assert.deepEqual(await folderSizeBytes(root), { bytes: 423, problems: [] });
  });

  it('knows the default backup roots of each platform', () => {
    assert.deepEqual(backupRootCandidates('darwin', { HOME: '/Users/sam' }), ['/Users/sam/Library/Application Support/MobileSync/Backup']);
    assert.deepEqual(backupRootCandidates('linux', { HOME: '/home/sam' }), ['/home/sam/.local/share/MobileSync/Backup']);
    assert.deepEqual(backupRootCandidates('linux', { HOME: '/home/sam', XDG_DATA_HOME: '/data' }), ['/data/MobileSync/Backup']);
    assert.deepEqual(backupRootCandidates('linux', { HOME: '/home/sam', XDG_DATA_HOME: 'relative' }), ['/home/sam/.local/share/MobileSync/Backup']);
    const windowsEnv = { APPDATA: 'C:\\Users\\sam\\AppData\\Roaming', USERPROFILE: 'C:\\Users\\sam' };
    assert.deepEqual(backupRootCandidates('win32', windowsEnv), [
      'C:\\Users\\sam\\AppData\\Roaming\\Apple Computer\\MobileSync\\Backup',
      'C:\\Users\\sam\\Apple\\MobileSync\\Backup',
    ]);
    assert.equal(defaultBackupRoot('win32', windowsEnv, () => false), 'C:\\Users\\sam\\AppData\\Roaming\\Apple Computer\\MobileSync\\Backup');
    assert.equal(
      defaultBackupRoot('win32', windowsEnv, (folder) => folder.startsWith('C:\\Users\\sam\\Apple')),
      'C:\\Users\\sam\\Apple\\MobileSync\\Backup',
    );
    assert.equal(defaultBackupRoot('darwin', { HOME: '/Users/sam' }, () => false), '/Users/sam/Library/Application Support/MobileSync/Backup');
  });
});
