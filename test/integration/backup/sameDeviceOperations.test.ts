import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBackup, type BackupRunResult } from '../../../src/backup/engine/backupEngine';
import { changeBackupEncryption } from '../../../src/backup/encryptionSetting/backupEncryption';
import { isDeviceBusyError } from '../../../src/device/deviceBusyError';
import { backupLayout } from '../../../src/backup/engine/backupLayout';
import { hashedFilePath } from '../../../src/backup/format/fileId';
import { runRestore } from '../../../src/restore/restoreEngine';
import { parseScenario } from '../../../src/simulator/scenario';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const UDID = '00008110-000A1B2C3D4E801E';
/** Big enough that the first backup is still transferring when the second one is asked for. */
const DATASET = { files: 200, totalBytes: 8_000_000, seed: 71 };

interface ListedEntry {
  domain: string;
  relativePath: string;
  kind: string;
  size: number | null;
  fileID: string;
}

const sha256 = (chunks: Iterable<Buffer>): string => {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
};

/**
 * Two operations on one device in one process (issue #13 item 2): VS Code's "Back up" then "Full
 * backup" of the same device used to share one staging folder, and the second wiped the first's.
 */
describe('two operations on the same device in one process', function () {
  this.timeout(180_000);
  let h: SimulatorHarness;
  let base: string;
  let mux: UsbmuxClient;
  /** A backup of the device made alone, for the restores. */
  let source: string;

  before(async () => {
    h = await startSimulator(parseScenario({
      devices: [{ udid: UDID, name: 'Support iPhone', productVersion: '16.1', dataset: DATASET, restart: { afterRestoreDelayMs: 200, downMs: 200 } }],
    }));
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-same-device-'));
    mux = new UsbmuxClient(h.simulator.address);
    source = (await runBackup({ mux, udid: UDID, root: path.join(base, 'source') })).backupDir;
  });
  after(async () => {
    if (h) await h.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  /** Starts `second` once the first backup has files in its staging folder; returns both outcomes. */
  async function secondDuringBackup<T>(root: string, second: () => Promise<T>): Promise<{ first: BackupRunResult; second: PromiseSettledResult<T>; refusedAfterMs: number }> {
    let started: Promise<PromiseSettledResult<T>> | undefined;
    let startedAt = 0;
    let refusedAt = 0;
    const first = await runBackup({
      mux,
      udid: UDID,
      root,
      full: true,
      onProgress: (p) => {
        if (started || p.filesReceived < 20) return;
        startedAt = Date.now();
        started = second().then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => {
            refusedAt = Date.now();
            return { status: 'rejected' as const, reason };
          },
        );
      },
    });
    assert.ok(started, 'the second operation was started while the first backup transferred files');
    return { first, second: await started, refusedAfterMs: refusedAt - startedAt };
  }

  /** The committed backup is whole: every Manifest.db file row has its file, and ls/extract give back exactly the device's files. */
  async function assertBackupIntact(backupDir: string): Promise<void> {
    assert.equal(existsSync(backupLayout(path.dirname(backupDir), UDID).stagingDir), false, 'no staging folder is left behind');
    const ls = await runCli(['ls', backupDir, '--json'], h.env);
    assert.equal(ls.code, 0, ls.stderr);
    const rows = (JSON.parse(ls.stdout) as ListedEntry[]).filter((e) => e.kind === 'file');
    const dataset = h.simulator.device(UDID)!.currentContent();
    const files = dataset.files();
    assert.deepEqual(rows.map((r) => `${r.domain}/${r.relativePath}`).sort(), files.map((f) => `${f.domain}/${f.relativePath}`).sort());
    for (const row of rows) {
      const stat = await fs.stat(hashedFilePath(backupDir, row.fileID));
      assert.equal(stat.size, row.size, `${row.domain}/${row.relativePath}: Manifest.db size matches the file`);
    }
    const out = path.join(base, `extract-${Date.now()}`);
    const extract = await runCli(['extract', backupDir, '--out', out, '--json'], h.env);
    assert.equal(extract.code, 0, extract.stderr);
    const extracted = JSON.parse(extract.stdout) as { filesWritten: number; skipped: unknown[] };
    assert.equal(extracted.filesWritten, files.length);
    assert.deepEqual(extracted.skipped, []);
    for (const file of files) {
      const bytes = await fs.readFile(path.join(out, file.domain, file.relativePath));
      assert.equal(sha256([bytes]), sha256(dataset.content(file)), `${file.domain}/${file.relativePath} holds the device's content`);
    }
  }

  it('a second backup is refused at once with one sentence; the first commits intact', async () => {
    const root = path.join(base, 'two-backups');
    const { first, second, refusedAfterMs } = await secondDuringBackup(root, () => runBackup({ mux, udid: UDID, root, full: true }));
    assert.equal(second.status, 'rejected', 'the second backup must not run');
    const reason = second.reason as Error;
    assert.ok(isDeviceBusyError(reason), String(reason));
    assert.equal(reason.message, `A backup of ${UDID} is already running in this window or process; wait for it to finish.`);
    assert.ok(refusedAfterMs < 1000, `refused after ${refusedAfterMs} ms`);
    assert.equal(first.backupDir, path.join(root, UDID));
    assert.equal(first.fullBackup, true);
    await assertBackupIntact(first.backupDir);
    // The device is free again once the first is done.
    const third = await runBackup({ mux, udid: UDID, root });
    assert.equal(third.fullBackup, false);
    await assertBackupIntact(third.backupDir);
  });

  it('a restore or an encryption change of a device being backed up is refused before anything reaches the device', async () => {
    const root = path.join(base, 'backup-then-restore');
    const logBefore = h.simulator.device(UDID)!.log.recentLines().length;
    const { first, second } = await secondDuringBackup(root, async () => {
      const restore = await runRestore({ mux, udid: UDID, backupDir: source }).then(() => undefined, (e: unknown) => e);
      const encryption = await changeBackupEncryption(mux, UDID, { kind: 'on', newPassword: 'p' }).then(() => undefined, (e: unknown) => e);
      return { restore, encryption };
    });
    assert.equal(second.status, 'fulfilled');
    const { restore, encryption } = (second as PromiseFulfilledResult<{ restore: unknown; encryption: unknown }>).value;
    assert.ok(isDeviceBusyError(restore) && restore.running === 'backup', String(restore));
    assert.ok(isDeviceBusyError(encryption) && encryption.running === 'backup', String(encryption));
    const deviceLog = h.simulator.device(UDID)!.log.recentLines().slice(logBefore).join('\n');
    assert.doesNotMatch(deviceLog, /Starting restore|ChangePassword/);
    await assertBackupIntact(first.backupDir);
  });

  it('a backup of a device being restored is refused; the restore completes', async () => {
    const root = path.join(base, 'restore-then-backup');
    let backup: Promise<unknown> | undefined;
    const result = await runRestore({
      mux,
      udid: UDID,
      backupDir: source,
      reboot: false,
      onProgress: (p) => {
        if (!backup && p.filesSent > 0) backup = runBackup({ mux, udid: UDID, root }).then(() => undefined, (e: unknown) => e);
      },
    });
    assert.ok(backup, 'the backup was asked for while the restore sent files');
    const refusal = await backup;
    assert.ok(isDeviceBusyError(refusal) && refusal.running === 'restore', String(refusal));
    assert.equal(refusal.message, `A restore to ${UDID} is already running in this window or process; wait for it to finish.`);
    assert.ok(result.filesSent > 0);
    assert.equal(existsSync(root), false, 'the refused backup touched no folder');
  });
});
