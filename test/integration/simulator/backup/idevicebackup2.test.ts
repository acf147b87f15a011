import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashedFilePath } from '../../../../src/backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb } from '../../../../src/backup/format/manifestDb';
import { readManifestPlist } from '../../../../src/backup/format/manifestPlist';
import { decodeMbFile } from '../../../../src/backup/format/mbFile';
import { readStatusPlist } from '../../../../src/backup/format/statusPlist';
import { SimulatedDataset, type DatasetEntry } from '../../../../src/simulator/dataset/simulatedDataset';
import { parseScenario, type Scenario } from '../../../../src/simulator/scenario';
import { run, skipWithoutTools, startSimulator, type SimulatorHarness } from '../../../helpers/simulatorHarness';

const UDID = '00008110-000A1B2C3D4E801E';
const REFUSING_UDID = '00008110-000B2C3D4E5F602E';
const DROPPING_UDID = '00008110-000C3D4E5F60702E';
const OLD_IOS_UDID = '00008030-000D4E5F6070802E';
const DATASET = { files: 200, totalBytes: 2_000_000, seed: 42 };

function scenario(generation: number): Scenario {
  return parseScenario({
    devices: [
      { udid: UDID, name: 'Backup iPhone', productVersion: '16.1', dataset: { ...DATASET, generation } },
      { udid: REFUSING_UDID, name: 'Setup iPhone', dataset: { files: 5, totalBytes: 5000, seed: 1 }, faults: { refuseBackup: { code: 212, description: 'Unable to backup until Setup is finished' } } },
      { udid: DROPPING_UDID, name: 'Loose Cable iPhone', dataset: { files: 50, totalBytes: 2_000_000, seed: 3 }, faults: { disconnectAfterBytes: 100_000 } },
      { udid: OLD_IOS_UDID, name: 'Old iPhone', productVersion: '13.7', buildVersion: '17H35', dataset: { files: 5, totalBytes: 5000, seed: 1 }, faults: { lowHostDiskQuery: true } },
    ],
  });
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function sha256OfContent(dataset: SimulatedDataset, entry: DatasetEntry): string {
  const hash = createHash('sha256');
  for (const chunk of dataset.content(entry)) hash.update(chunk);
  return hash.digest('hex');
}

/** Checks every hashed file of the backup against the dataset's generated content. */
async function assertContentMatches(backupDir: string, dataset: SimulatedDataset): Promise<void> {
  for (const file of dataset.files()) {
    const onDisk = hashedFilePath(backupDir, file.fileID);
    assert.ok(existsSync(onDisk), `${file.domain}/${file.relativePath} is missing from the backup`);
    assert.equal(await sha256OfFile(onDisk), sha256OfContent(dataset, file), `${file.domain}/${file.relativePath} differs from the dataset`);
  }
}

/** idevicebackup2 (Debian libimobiledevice-utils) backing up the simulated device: the device side of mobilebackup2 end to end. */
describe('idevicebackup2 against the simulated device', function () {
  // lid 1.3.0 sometimes waits 30 s for a TLS close_notify after StopSession (several sessions per run).
  this.timeout(600_000);
  let h: SimulatorHarness;
  let root: string;

  before(async function () {
    // Only a missing tool skips: everything else about the backup must work.
    skipWithoutTools(this, 'idevicebackup2');
    h = await startSimulator(scenario(0));
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-backup-'));
  });
  after(async () => {
    if (h) await h.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('makes a full backup that holds every dataset entry and its exact content', async () => {
    const r = await run('idevicebackup2', ['-u', UDID, 'backup', '--full', root], h.env, { timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Backup Successful\./);
    const backupDir = path.join(root, UDID);
    const dataset = SimulatedDataset.build(scenario(0).devices[0].dataset);

    const db = await ManifestDb.openFile(path.join(backupDir, 'Manifest.db'));
    try {
      assert.equal(await db.count(), dataset.entries.length);
      for (const entry of dataset.entries) {
        const row = await db.get(entry.fileID);
        assert.ok(row, `no Files row for ${entry.domain}/${entry.relativePath}`);
        assert.equal(row.domain, entry.domain);
        assert.equal(row.relativePath, entry.relativePath);
        assert.equal(row.flags, entry.kind === 'file' ? MANIFEST_FLAGS.file : MANIFEST_FLAGS.directory);
        const record = decodeMbFile(row.file!);
        assert.equal(record.size, entry.size);
        assert.equal(record.lastModified, entry.lastModified);
      }
      assert.ok((await db.count({ flags: MANIFEST_FLAGS.directory })) > 0, 'directories are listed with flags 2');
    } finally {
      db.close();
    }
    await assertContentMatches(backupDir, dataset);

    const status = await readStatusPlist(backupDir);
    assert.equal(status.snapshotState, 'finished');
    assert.equal(status.isFullBackup, true);
    assert.equal(status.version, '3.3');
    assert.match(status.uuid ?? '', /^[0-9A-F-]{36}$/);
    const manifest = await readManifestPlist(backupDir);
    assert.equal(manifest.isEncrypted, false);
    assert.equal(manifest.lockdown?.uniqueDeviceId, UDID);
    assert.ok(manifest.applications && Object.keys(manifest.applications).length > 0);
    assert.ok(!existsSync(path.join(backupDir, 'Snapshot')), 'the Snapshot folder is removed at the end');

    const report = h.simulator.device(UDID)?.lastBackup;
    assert.equal(report?.mode, 'full');
    assert.equal(report?.outcome, 'finished');
    assert.equal(report?.filesUploaded, dataset.files().length);
    assert.equal(report?.fileBytesUploaded, DATASET.totalBytes);
  });

  it('makes an incremental backup after a generation bump that transfers only the changed files', async () => {
    const before = SimulatedDataset.build(scenario(0).devices[0].dataset);
    h.simulator.applyScenario(scenario(1));
    const after = SimulatedDataset.build(scenario(1).devices[0].dataset);
    const changed = after.files().filter((f, i) => f.contentVersion !== before.files()[i].contentVersion);
    assert.ok(changed.length > 0 && changed.length < after.files().length / 10, 'a generation changes a small subset');

    const r = await run('idevicebackup2', ['-u', UDID, 'backup', root], h.env, { timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Incremental backup mode\./);

    const report = h.simulator.device(UDID)?.lastBackup;
    assert.equal(report?.mode, 'incremental');
    assert.equal(report?.outcome, 'finished');
    assert.deepEqual([...(report?.uploadedFileIds ?? [])].sort(), changed.map((f) => f.fileID).sort());

    const backupDir = path.join(root, UDID);
    await assertContentMatches(backupDir, after);
    const status = await readStatusPlist(backupDir);
    assert.equal(status.snapshotState, 'finished');
    assert.equal(status.isFullBackup, false);
    const db = await ManifestDb.openFile(path.join(backupDir, 'Manifest.db'));
    try {
      assert.equal(await db.count(), after.entries.length);
      for (const file of changed) assert.equal(decodeMbFile((await db.get(file.fileID))!.file!).lastModified, file.lastModified);
    } finally {
      db.close();
    }
  });

  it('ends with the scenario ErrorCode when the device refuses the backup', async () => {
    const r = await run('idevicebackup2', ['-u', REFUSING_UDID, 'backup', '--full', root], h.env, { timeoutMs: 300_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /ErrorCode 212: Unable to backup until Setup is finished \(MBErrorDomain\/212\)/);
    assert.equal(h.simulator.device(REFUSING_UDID)?.lastBackup?.errorCode, 212);
  });

  it('drops the connection after the configured number of bytes, leaving an unfinished backup', async () => {
    const r = await run('idevicebackup2', ['-u', DROPPING_UDID, 'backup', '--full', root], h.env, { timeoutMs: 300_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /Backup Aborted\./);
    const report = h.simulator.device(DROPPING_UDID)?.lastBackup;
    assert.equal(report?.outcome, 'dropped');
    assert.equal(report?.fileBytesUploaded, 100_000);
    const status = await readStatusPlist(path.join(root, DROPPING_UDID));
    assert.equal(status.snapshotState, 'uploading');
  });

  it('fails with 105 when the host looks too full (iOS 13: no purge request)', async () => {
    const r = await run('idevicebackup2', ['-u', OLD_IOS_UDID, 'backup', '--full', root], h.env, { timeoutMs: 300_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout, /ErrorCode 105: Insufficient free disk space on drive to back up/);
    assert.equal(h.simulator.device(OLD_IOS_UDID)?.lastBackup?.errorCode, 105);
  });
});
