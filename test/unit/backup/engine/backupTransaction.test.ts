import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backupLayout } from '../../../../src/backup/engine/backupLayout';
import { BackupTransaction } from '../../../../src/backup/engine/backupTransaction';
import { DeviceOperationClaim } from '../../../../src/device/deviceOperationLock';
import { IN_PROGRESS_MARKER, listBackups } from '../../../../src/backup/format/backupFolder';
import { encodeInfoPlist } from '../../../../src/backup/format/infoPlist';
import { encodeStatusPlist } from '../../../../src/backup/format/statusPlist';
import { isBackupError } from '../../../../src/common/errors';

const UDID = '00008110-000A1B2C3D4E801E';

async function tempRoot(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-tx-'));
}

/** A minimal complete backup folder: Info.plist, finished Status.plist, one hashed file. */
async function writeCompleteBackup(dir: string, content = 'previous'): Promise<void> {
  await fs.mkdir(path.join(dir, 'ab'), { recursive: true });
  await fs.writeFile(path.join(dir, 'Info.plist'), encodeInfoPlist({ deviceName: 'Phone', uniqueIdentifier: UDID, productVersion: '16.1' }));
  await fs.writeFile(path.join(dir, 'Status.plist'), encodeStatusPlist({ snapshotState: 'finished', date: new Date('2024-01-01T00:00:00Z') }));
  await fs.writeFile(path.join(dir, 'ab', 'ab01'), content);
}

describe('backup transaction (staging, swap, recovery)', () => {
  let root: string;
  let claim: DeviceOperationClaim;
  beforeEach(async () => {
    root = await tempRoot();
    claim = DeviceOperationClaim.take(UDID, 'backup');
  });
  afterEach(async () => {
    claim.release();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('without a previous backup: stages with the marker, commit moves it into <root>/<udid> without it', async () => {
    const tx = await BackupTransaction.begin(root, UDID, claim);
    assert.equal(tx.hadPreviousBackup, false);
    assert.ok(existsSync(path.join(tx.stagingDir, IN_PROGRESS_MARKER)));
    await writeCompleteBackup(tx.stagingDir, 'new');
    await tx.commit();
    const layout = backupLayout(root, UDID);
    assert.equal(existsSync(layout.stagingDir), false);
    assert.equal(existsSync(path.join(layout.finalDir, IN_PROGRESS_MARKER)), false);
    assert.equal(await fs.readFile(path.join(layout.finalDir, 'ab', 'ab01'), 'utf8'), 'new');
    const listed = await listBackups(root);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].complete, true);
  });

  it('with a previous backup: stages hard links (no data copied), skipping a stale Snapshot folder', async () => {
    const layout = backupLayout(root, UDID);
    await writeCompleteBackup(layout.finalDir);
    await fs.mkdir(path.join(layout.finalDir, 'Snapshot'));
    await fs.writeFile(path.join(layout.finalDir, 'Snapshot', 'stale'), 'x');
    const tx = await BackupTransaction.begin(root, UDID, claim);
    assert.equal(tx.hadPreviousBackup, true);
    const original = await fs.stat(path.join(layout.finalDir, 'ab', 'ab01'));
    const staged = await fs.stat(path.join(tx.stagingDir, 'ab', 'ab01'));
    assert.equal(staged.ino, original.ino);
    assert.equal(existsSync(path.join(tx.stagingDir, 'Snapshot')), false);
    await tx.discard();
  });

  it('abandon keeps the previous backup complete and the interrupted one listed as incomplete', async () => {
    const layout = backupLayout(root, UDID);
    await writeCompleteBackup(layout.finalDir);
    const tx = await BackupTransaction.begin(root, UDID, claim);
    await fs.rm(path.join(tx.stagingDir, 'ab', 'ab01'));
    await fs.writeFile(path.join(tx.stagingDir, 'ab', 'ab01'), 'half-written');
    await tx.abandon('The device disconnected during the backup.');
    assert.equal(await fs.readFile(path.join(layout.finalDir, 'ab', 'ab01'), 'utf8'), 'previous');
    const marker = JSON.parse(await fs.readFile(path.join(layout.stagingDir, IN_PROGRESS_MARKER), 'utf8')) as { state?: unknown; reason?: unknown };
    assert.equal(marker.state, 'interrupted');
    assert.match(String(marker.reason), /disconnected/);
    const listed = await listBackups(root);
    assert.deepEqual(listed.map((b) => [path.basename(b.dir), b.udid, b.complete]), [
      [UDID, UDID, true],
      [`${UDID}.iosbr-staging`, UDID, false],
    ]);
  });

  it('the next run discards an interrupted staging folder and starts again from the previous backup', async () => {
    const layout = backupLayout(root, UDID);
    await writeCompleteBackup(layout.finalDir);
    const first = await BackupTransaction.begin(root, UDID, claim);
    await fs.writeFile(path.join(first.stagingDir, 'leftover'), 'x');
    await first.abandon('cancelled');
    const second = await BackupTransaction.begin(root, UDID, claim);
    assert.equal(existsSync(path.join(second.stagingDir, 'leftover')), false);
    assert.ok(existsSync(path.join(second.stagingDir, 'ab', 'ab01')));
    await second.commit();
    assert.equal(existsSync(layout.previousDir), false);
    assert.equal(existsSync(layout.stagingDir), false);
  });

  it('discard removes the staging folder and leaves the previous backup alone', async () => {
    const layout = backupLayout(root, UDID);
    await writeCompleteBackup(layout.finalDir);
    const tx = await BackupTransaction.begin(root, UDID, claim);
    await tx.discard();
    assert.equal(existsSync(layout.stagingDir), false);
    assert.equal(await fs.readFile(path.join(layout.finalDir, 'ab', 'ab01'), 'utf8'), 'previous');
  });

  it('refuses to start while another live process is writing the same device, but takes over from a dead one', async () => {
    const layout = backupLayout(root, UDID);
    await fs.mkdir(layout.stagingDir, { recursive: true });
    // The parent of this test process is alive and is not us.
    await fs.writeFile(path.join(layout.stagingDir, IN_PROGRESS_MARKER), JSON.stringify({ state: 'running', pid: process.ppid, startedAt: '' }));
    await assert.rejects(BackupTransaction.begin(root, UDID, claim), (e) => isBackupError(e) && e.code === 'backup.already-running');
    await fs.writeFile(path.join(layout.stagingDir, IN_PROGRESS_MARKER), JSON.stringify({ state: 'running', pid: 2 ** 22 + 12345, startedAt: '' }));
    const tx = await BackupTransaction.begin(root, UDID, claim);
    await tx.discard();
  });

  it('takes over a running marker with our own PID (a dead process that had our PID, or a run of ours that could not mark itself interrupted)', async () => {
    const layout = backupLayout(root, UDID);
    await fs.mkdir(layout.stagingDir, { recursive: true });
    await fs.writeFile(path.join(layout.stagingDir, 'leftover'), 'x');
    await fs.writeFile(path.join(layout.stagingDir, IN_PROGRESS_MARKER), JSON.stringify({ state: 'running', pid: process.pid, startedAt: '' }));
    const tx = await BackupTransaction.begin(root, UDID, claim);
    assert.equal(existsSync(path.join(tx.stagingDir, 'leftover')), false);
    await tx.discard();
  });

  it('is refused without this process\'s claim on the device (a released claim, or one for another device)', async () => {
    const other = DeviceOperationClaim.take('00008120-001C2D3E4F5A602E', 'backup');
    try {
      await assert.rejects(BackupTransaction.begin(root, UDID, other), /without holding the device/);
    } finally {
      other.release();
    }
    claim.release();
    await assert.rejects(BackupTransaction.begin(root, UDID, claim), /without holding the device/);
    assert.equal(existsSync(backupLayout(root, UDID).stagingDir), false);
  });

  describe('recovers a swap interrupted by a crash', () => {
    it('old backup renamed away, new one not yet in place and not finished: the old one goes back', async () => {
      const layout = backupLayout(root, UDID);
      await writeCompleteBackup(layout.previousDir, 'old');
      await fs.mkdir(layout.stagingDir);
      await fs.writeFile(path.join(layout.stagingDir, IN_PROGRESS_MARKER), '{}');
      const tx = await BackupTransaction.begin(root, UDID, claim);
      assert.equal(tx.hadPreviousBackup, true);
      assert.equal(await fs.readFile(path.join(layout.finalDir, 'ab', 'ab01'), 'utf8'), 'old');
      assert.equal(existsSync(layout.previousDir), false);
      await tx.discard();
    });
    it('old backup renamed away, new one finished (marker gone): the new one is promoted', async () => {
      const layout = backupLayout(root, UDID);
      await writeCompleteBackup(layout.previousDir, 'old');
      await writeCompleteBackup(layout.stagingDir, 'new');
      const tx = await BackupTransaction.begin(root, UDID, claim);
      assert.equal(await fs.readFile(path.join(layout.finalDir, 'ab', 'ab01'), 'utf8'), 'new');
      assert.equal(existsSync(layout.previousDir), false);
      await tx.discard();
    });
    it('swap done, cleanup not: the leftover old backup is removed', async () => {
      const layout = backupLayout(root, UDID);
      await writeCompleteBackup(layout.previousDir, 'old');
      await writeCompleteBackup(layout.finalDir, 'new');
      const tx = await BackupTransaction.begin(root, UDID, claim);
      assert.equal(existsSync(layout.previousDir), false);
      assert.equal(await fs.readFile(path.join(layout.finalDir, 'ab', 'ab01'), 'utf8'), 'new');
      await tx.discard();
    });
  });
});
