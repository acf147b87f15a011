import assert from 'node:assert/strict';
import type { BackupRunOptions, BackupRunResult } from '../../../src/backup/engine/backupEngine';
import { BackupError, CancelledError, isUsageError } from '../../../src/common/errors';
import { isDeviceBusyError } from '../../../src/device/deviceBusyError';
import type { DeviceFacts } from '../../../src/device/deviceFacts';
import type { BenchOperations } from '../../../src/kitting/benchOperations';
import type { BenchRow, BenchRowState } from '../../../src/kitting/benchRow';
import { KittingBench, type BenchRestorePlan } from '../../../src/kitting/kittingBench';
import type { RestoreRunOptions, RestoreRunResult } from '../../../src/restore/restoreEngine';
import type { RestorePreflightResult } from '../../../src/restore/restorePreflight';
import { RestorePreflightError } from '../../../src/restore/restorePreflightError';
import type { BackupPreflightFacts } from '../../../src/restore/restorePreflightFacts';
import type { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';

const udid = (n: number): string => `00008110-0000000000B0000${n}`;

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending callback run, until `condition` holds (bounded: a bench that never gets there fails the test). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(condition(), `never: ${what}`);
}

/** Engines the test drives by hand: each backup or restore waits until the test ends it. */
class ScriptedEngines {
  readonly backups = new Map<string, { options: BackupRunOptions; end: Deferred<BackupRunResult> }>();
  readonly restores = new Map<string, { options: RestoreRunOptions; end: Deferred<RestoreRunResult> }>();
  readonly paired = new Set<string>();
  readonly pairCalls: string[] = [];
  backupChecks = 0;
  attached: string[] = [];
  readonly listings: string[][] = [];

  readonly operations: Partial<BenchOperations> = {
    readFacts: async (_mux, id) => this.facts(id),
    pair: async (_mux, id) => {
      this.pairCalls.push(id);
      this.paired.add(id);
    },
    runBackup: (options) => {
      const end = deferred<BackupRunResult>();
      options.token?.onCancellationRequested(() => end.reject(new CancelledError('Backup', 'Backup was cancelled; the previous backup is intact.')));
      this.backups.set(options.udid, { options, end });
      return end.promise;
    },
    runRestore: (options) => {
      const end = deferred<RestoreRunResult>();
      options.token?.onCancellationRequested(() => end.reject(new CancelledError('Restore')));
      this.restores.set(options.udid, { options, end });
      return end.promise;
    },
    readBackupFacts: async (backupDir) => {
      this.backupChecks++;
      return { backupDir } as BackupPreflightFacts;
    },
    attachedUdids: async () => {
      this.listings.push([...this.attached]);
      return this.attached;
    },
  };

  facts(id: string): DeviceFacts {
    return {
      udid: id,
      connectionType: 'USB',
      paired: id !== udid(9) || this.paired.has(id),
      name: `Bench iPhone ${id.slice(-1)}`,
      productType: 'iPhone14,5',
      marketingName: 'iPhone 13',
      serialNumber: `F2LSIM00000${id.slice(-1)}`,
      iosVersion: '17.2',
    };
  }

  finishBackup(id: string, files = 3, bytes = 3000): void {
    const run = this.backups.get(id);
    assert.ok(run, `no backup of ${id} started`);
    run.end.resolve({ udid: id, backupDir: `/root/${id}`, filesTransferred: files, bytesTransferred: bytes, durationMs: 5, uploadWarnings: [] });
  }
}

const PREFLIGHT_PASS = { checks: [{ id: 'find-my', status: 'pass', title: { en: 'Find My off', ja: '「探す」がオフ' }, sentence: { en: '', ja: '' } }], report: { postRestoreActions: [] }, blocked: false } as unknown as RestorePreflightResult;

function restoreResult(id: string, reboot: boolean): RestoreRunResult {
  return {
    udid: id,
    backupDir: '/root/source',
    sourceIdentifier: 'source',
    differentDevice: true,
    filesSent: 10,
    bytesSent: 10_000,
    durationMs: 5,
    reboot,
    appsToReinstall: 0,
    unavailableFiles: [],
    refusedPaths: [],
    preflight: PREFLIGHT_PASS,
  };
}

function makeBench(engines: ScriptedEngines, jobs = 2): KittingBench {
  return new KittingBench({
    mux: {} as UsbmuxClient,
    backupRoot: '/root',
    jobs,
    operations: engines.operations,
    waits: { restartPollMs: 1, restartTimeoutMs: 60_000, progressIntervalMs: 60_000 },
  });
}

const stateOf = (bench: KittingBench, rowId: string): BenchRowState => bench.rows.find((r) => r.id === rowId)!.state;

describe('kitting: the bench (scheduling, with scripted engines)', () => {
  let engines: ScriptedEngines;
  let bench: KittingBench;
  beforeEach(() => {
    engines = new ScriptedEngines();
    bench = makeBench(engines);
  });
  afterEach(() => bench.dispose());

  it('runs at most `jobs` rows at once, in the order added; a finished row frees its slot for the next', async () => {
    const rows = [1, 2, 3, 4].map((n) => bench.addBackup(udid(n)));
    await until(() => engines.backups.size === 2, 'two backups started');
    assert.deepEqual([...engines.backups.keys()], [udid(1), udid(2)]);
    assert.deepEqual(rows.map((r) => stateOf(bench, r.id)), ['backing-up', 'backing-up', 'queued', 'queued']);
    engines.finishBackup(udid(2));
    await until(() => engines.backups.size === 3, 'the third started');
    assert.ok(engines.backups.has(udid(3)) && !engines.backups.has(udid(4)));
    assert.deepEqual(rows.map((r) => stateOf(bench, r.id)), ['backing-up', 'done', 'backing-up', 'queued']);
    assert.deepEqual(bench.summary(), { total: 4, running: 2, queued: 1, done: 1, failed: 0, refused: 0, cancelled: 0 });
  });

  it('a done backup carries its device, folder and summary; whenIdle resolves once nothing is queued or running', async () => {
    const row = bench.addBackup(udid(1), { full: true });
    await until(() => engines.backups.size === 1, 'started');
    assert.equal(engines.backups.get(udid(1))!.options.full, true);
    engines.finishBackup(udid(1), 1234, 56_000_000);
    await bench.whenIdle();
    const done = bench.rows[0];
    assert.equal(done.id, row.id);
    assert.equal(done.state, 'done');
    assert.deepEqual(done.device, { udid: udid(1), name: 'Bench iPhone 1', model: 'iPhone 13', serialNumber: 'F2LSIM000001', iosVersion: '17.2' });
    assert.equal(done.backupResultDir, `/root/${udid(1)}`);
    assert.equal(done.summary, '1,234 files, 56.0 MB');
    assert.ok(done.startedAt !== undefined && done.endedAt !== undefined && done.endedAt >= done.startedAt);
    assert.ok(Object.isFrozen(done), 'rows are snapshots');
  });

  it('cancel: a queued row at once, a running row through its token; the others go on', async () => {
    const rows = [1, 2, 3].map((n) => bench.addBackup(udid(n)));
    await until(() => engines.backups.size === 2, 'two started');
    bench.cancel(rows[2].id);
    assert.equal(stateOf(bench, rows[2].id), 'cancelled');
    bench.cancel(rows[0].id);
    await until(() => stateOf(bench, rows[0].id) === 'cancelled', 'the running row cancelled');
    assert.match(bench.rows[0].detail ?? '', /previous backup is intact/);
    assert.equal(stateOf(bench, rows[1].id), 'backing-up');
    assert.ok(!engines.backups.has(udid(3)), 'a cancelled queued row never starts');
    engines.finishBackup(udid(2));
    await bench.whenIdle();
    assert.deepEqual(bench.summary(), { total: 3, running: 0, queued: 0, done: 1, failed: 0, refused: 0, cancelled: 2 });
  });

  it('a failure fails its row alone, with the doctor cause and at most three next steps', async () => {
    const rows = [1, 2].map((n) => bench.addBackup(udid(n)));
    await until(() => engines.backups.size === 2, 'both started');
    engines.backups.get(udid(1))!.end.reject(new BackupError('The device disconnected during the backup; check the cable and try again.', 'backup.device-disconnected'));
    await until(() => stateOf(bench, rows[0].id) === 'failed', 'failed');
    const failure = bench.rows[0].failure!;
    assert.equal(failure.sentence, 'The device disconnected during the backup; check the cable and try again.');
    assert.equal(failure.code, 'backup.device-disconnected');
    assert.ok(failure.cause && failure.cause.en.length > 0 && failure.cause.ja.length > 0, 'the doctor recognises it');
    assert.ok(failure.nextSteps.length > 0 && failure.nextSteps.length <= 3);
    assert.equal(stateOf(bench, rows[1].id), 'backing-up');
    engines.finishBackup(udid(2));
    await bench.whenIdle();
    assert.equal(stateOf(bench, rows[1].id), 'done');
  });

  it('an unrecognised failure keeps its sentence with no guessed cause', async () => {
    bench.addBackup(udid(1));
    await until(() => engines.backups.size === 1, 'started');
    engines.backups.get(udid(1))!.end.reject(new Error('zzz something nobody documented'));
    await bench.whenIdle();
    assert.deepEqual(bench.rows[0].failure, { sentence: 'zzz something nobody documented', nextSteps: [] });
  });

  it('a second job for a device with a queued or running row is refused with DeviceBusyError; once finished it is accepted', async () => {
    bench.addBackup(udid(1));
    assert.throws(() => bench.addBackup(udid(1).toLowerCase()), (e: unknown) => isDeviceBusyError(e) && /A backup of .* is already running/.test(e.message));
    assert.throws(() => bench.addRestore(udid(1), { backupDir: '/root/x' }), isDeviceBusyError);
    await until(() => engines.backups.size === 1, 'started');
    engines.finishBackup(udid(1));
    await bench.whenIdle();
    assert.equal(bench.addBackup(udid(1)).attempt, 1);
  });

  it('retry: only a finished row, which runs again as attempt 2 with the last attempt’s fields cleared', async () => {
    const row = bench.addBackup(udid(1));
    assert.throws(() => bench.retry(row.id), isUsageError);
    await until(() => engines.backups.size === 1, 'started');
    engines.backups.get(udid(1))!.end.reject(new BackupError('The device disconnected during the backup; check the cable and try again.', 'backup.device-disconnected'));
    await bench.whenIdle();
    engines.backups.clear();
    const again = bench.retry(row.id);
    assert.equal(again.id, row.id);
    assert.equal(again.attempt, 2);
    assert.equal(again.failure, undefined);
    await until(() => engines.backups.size === 1, 'restarted');
    engines.finishBackup(udid(1));
    await bench.whenIdle();
    assert.equal(bench.rows.length, 1);
    assert.equal(bench.rows[0].state, 'done');
    assert.equal(bench.rows[0].attempt, 2);
    assert.throws(() => bench.retry('row-nope'), isUsageError);
  });

  it('the passcode prompt shows as waiting-for-passcode until the next progress; progress gives percent and files', async () => {
    const changes: BenchRow[] = [];
    bench.onDidChange((r) => changes.push(r));
    const row = bench.addBackup(udid(1));
    await until(() => engines.backups.size === 1, 'started');
    const options = engines.backups.get(udid(1))!.options;
    options.onNotice?.('Enter the passcode on the device to let the backup start.');
    assert.equal(stateOf(bench, row.id), 'waiting-for-passcode');
    assert.equal(bench.rows[0].detail, 'Enter the passcode on the device to let the backup start.');
    options.onProgress?.({ phase: 'transferring', percent: 45.4, filesReceived: 1234, bytesReceived: 56_000_000, bytesPerSecond: 0, elapsedMs: 1 });
    assert.equal(stateOf(bench, row.id), 'backing-up');
    assert.equal(bench.rows[0].percent, 45);
    assert.equal(bench.rows[0].detail, '1,234 files, 56.0 MB');
    assert.deepEqual(changes.map((c) => c.state), ['queued', 'backing-up', 'waiting-for-passcode', 'backing-up']);
  });

  it('progress events are coalesced per row; state changes are never held back', async () => {
    const changes: BenchRow[] = [];
    bench.onDidChange((r) => changes.push(r));
    bench.addBackup(udid(1));
    await until(() => engines.backups.size === 1, 'started');
    const options = engines.backups.get(udid(1))!.options;
    const before = changes.length;
    for (let i = 0; i < 1000; i++) options.onProgress?.({ phase: 'transferring', percent: i / 10, filesReceived: i, bytesReceived: i * 10, bytesPerSecond: 0, elapsedMs: i });
    assert.equal(changes.length, before, 'a thousand progress reports within the interval send nothing yet');
    assert.equal(bench.rows[0].detail, '999 files, 10.0 KB', 'the row itself is always current');
    engines.finishBackup(udid(1));
    await bench.whenIdle();
    assert.equal(changes.at(-1)!.state, 'done');
  });

  it('a listener that throws does not stop the bench or the other listeners', async () => {
    const heard: string[] = [];
    bench.onDidChange(() => {
      throw new Error('broken view');
    });
    bench.onDidChange((r) => heard.push(r.state));
    bench.addBackup(udid(1));
    await until(() => engines.backups.size === 1, 'started');
    engines.finishBackup(udid(1));
    await bench.whenIdle();
    assert.deepEqual(heard, ['queued', 'backing-up', 'done']);
  });

  it('a device this computer is not paired with: waiting-for-trust while pairing, then the backup', async () => {
    const states: BenchRowState[] = [];
    bench.onDidChange((r) => states.push(r.state));
    bench.addBackup(udid(9));
    await until(() => engines.backups.size === 1, 'the backup started after pairing');
    assert.deepEqual(engines.pairCalls, [udid(9)]);
    assert.deepEqual(states, ['queued', 'backing-up', 'waiting-for-trust', 'backing-up']);
  });

  it('clearFinished drops only finished rows; cancelAll cancels the rest; a disposed bench takes no rows', async () => {
    const rows = [1, 2, 3].map((n) => bench.addBackup(udid(n)));
    await until(() => engines.backups.size === 2, 'two started');
    engines.finishBackup(udid(1));
    await until(() => stateOf(bench, rows[0].id) === 'done', 'done');
    bench.clearFinished();
    assert.deepEqual(bench.rows.map((r) => r.id), [rows[1].id, rows[2].id]);
    bench.cancelAll();
    await bench.whenIdle();
    assert.deepEqual(bench.rows.map((r) => r.state), ['cancelled', 'cancelled']);
    bench.dispose();
    assert.throws(() => bench.addBackup(udid(4)), isUsageError);
  });

  it('refuses a jobs count outside 1..16', () => {
    for (const jobs of [0, 17, 1.5]) assert.throws(() => makeBench(engines, jobs), isUsageError);
  });

  describe('restores', () => {
    const plan: BenchRestorePlan = { backupDir: '/root/source', password: 'secret', reboot: true };

    it("reads the plan's backup once for all its devices and hands it to every restore", async () => {
      bench = makeBench(engines, 3);
      [1, 2, 3].forEach((n) => bench.addRestore(udid(n), plan));
      await until(() => engines.restores.size === 3, 'three restores started');
      assert.equal(engines.backupChecks, 1);
      const checked = [...engines.restores.values()].map((r) => r.options.checkedBackup);
      assert.ok(checked.every((c) => c !== undefined && c === checked[0]));
      assert.ok([...engines.restores.values()].every((r) => r.options.password === 'secret' && r.options.reboot === true));
    });

    it('refused by the checks: the checks and the failed check as cause and next step; the others go on', async () => {
      const refused = {
        checks: [
          { id: 'backup-complete', status: 'pass', title: { en: 'Backup complete', ja: 'バックアップ完了' }, sentence: { en: '', ja: '' } },
          { id: 'find-my', status: 'fail', title: { en: 'Find My off', ja: '「探す」がオフ' }, sentence: { en: 'Find My is on.', ja: '' }, action: { en: 'Turn Find My off.', ja: '「探す」をオフにします。' } },
        ],
        report: { postRestoreActions: [] },
        blocked: true,
      } as unknown as RestorePreflightResult;
      const rows = [1, 2].map((n) => bench.addRestore(udid(n), plan));
      await until(() => engines.restores.size === 2, 'both started');
      assert.equal(stateOf(bench, rows[0].id), 'checking');
      engines.restores.get(udid(1))!.options.onPreflight?.(refused);
      engines.restores.get(udid(1))!.end.reject(new RestorePreflightError(refused));
      await until(() => stateOf(bench, rows[0].id) === 'refused', 'refused');
      const row = bench.rows[0];
      assert.deepEqual(row.checks?.map((c) => [c.id, c.status]), [['backup-complete', 'pass'], ['find-my', 'fail']]);
      assert.deepEqual(row.failure?.cause, { en: 'Find My off', ja: '「探す」がオフ' });
      assert.deepEqual(row.failure?.nextSteps, [{ en: 'Turn Find My off.', ja: '「探す」をオフにします。' }]);
      assert.match(row.failure?.sentence ?? '', /^The restore did not start because a check failed: Find My is on/);
      assert.equal(stateOf(bench, rows[1].id), 'checking');
    });

    it('done with reboot: restarting until the device has left and come back, then done with its next steps', async () => {
      const states: BenchRowState[] = [];
      bench.onDidChange((r) => states.push(r.state));
      const row = bench.addRestore(udid(1), plan);
      await until(() => engines.restores.size === 1, 'started');
      const options = engines.restores.get(udid(1))!.options;
      options.onPreflight?.(PREFLIGHT_PASS);
      options.onNotice?.('Enter the passcode on the device to let the restore start.', 'passcode-prompt');
      options.onProgress?.({ phase: 'transferring', percent: 50, filesSent: 5, bytesSent: 5000, bytesPerSecond: 0, elapsedMs: 1 });
      engines.attached = [udid(1)];
      engines.restores.get(udid(1))!.end.resolve(restoreResult(udid(1), true));
      await until(() => engines.listings.length >= 2, 'polling');
      assert.equal(stateOf(bench, row.id), 'restarting', 'a device still listed has not restarted yet');
      engines.attached = [];
      const gone = engines.listings.length;
      await until(() => engines.listings.length > gone + 2, 'polled while gone');
      assert.equal(stateOf(bench, row.id), 'restarting');
      engines.attached = [udid(1).toLowerCase()];
      await bench.whenIdle();
      const done = bench.rows[0];
      assert.equal(done.state, 'done');
      assert.equal(done.detail, undefined);
      assert.equal(done.summary, '10 files, 10.0 KB');
      assert.ok(done.nextSteps && done.nextSteps.length >= 3);
      assert.match(done.nextSteps[0].en, /restarts to finish the restore/);
      assert.ok(done.nextSteps.some((s) => /Remote Management/.test(s.en)), 'a backup of another device: the Remote Management step');
      assert.deepEqual(states, ['queued', 'checking', 'waiting-for-passcode', 'restoring', 'restarting', 'done']);
    });

    it('a device that does not come back in time: still done, with a detail that says so', async () => {
      bench = new KittingBench({ mux: {} as UsbmuxClient, backupRoot: '/root', operations: engines.operations, waits: { restartPollMs: 1, restartTimeoutMs: 20 } });
      bench.addRestore(udid(1), plan);
      await until(() => engines.restores.size === 1, 'started');
      engines.restores.get(udid(1))!.end.resolve(restoreResult(udid(1), true));
      await bench.whenIdle();
      assert.equal(bench.rows[0].state, 'done');
      assert.match(bench.rows[0].detail ?? '', /did not come back within/);
    });

    it('cancel while the restored device restarts: the restore stays done, with a detail saying the wait was stopped', async () => {
      const row = bench.addRestore(udid(1), plan);
      await until(() => engines.restores.size === 1, 'started');
      engines.attached = [udid(1)];
      engines.restores.get(udid(1))!.end.resolve(restoreResult(udid(1), true));
      await until(() => stateOf(bench, row.id) === 'restarting', 'restarting');
      bench.cancel(row.id);
      await bench.whenIdle();
      assert.equal(bench.rows[0].state, 'done');
      assert.match(bench.rows[0].detail ?? '', /^Stopped waiting for the device to restart/);
      assert.ok(bench.rows[0].nextSteps && bench.rows[0].nextSteps.length > 0);
    });

    it('without reboot: done at once, and the first next step says to restart it by hand', async () => {
      bench.addRestore(udid(1), { ...plan, reboot: false });
      await until(() => engines.restores.size === 1, 'started');
      engines.restores.get(udid(1))!.end.resolve(restoreResult(udid(1), false));
      await bench.whenIdle();
      assert.equal(bench.rows[0].state, 'done');
      assert.equal(engines.listings.length, 0, 'no restart to wait for');
      assert.match(bench.rows[0].nextSteps![0].en, /not to restart/);
    });

    it('a failed backup check is read again by the next row or retry (a rejection is not kept)', async () => {
      let calls = 0;
      engines.operations.readBackupFacts = async () => {
        calls++;
        throw new Error('the folder vanished');
      };
      bench = makeBench(engines, 1);
      const row = bench.addRestore(udid(1), plan);
      await bench.whenIdle();
      assert.equal(bench.rows[0].state, 'failed');
      bench.retry(row.id);
      await bench.whenIdle();
      assert.equal(calls, 2);
    });
  });
});
