import type { BackupProgress } from '../backup/engine/backupProgress';
import type { CancellationTokenLike } from '../common/cancellation';
import { CancelledError, isCancelledError, UsageError } from '../common/errors';
import { linkedCancellation, type LinkedCancellation } from '../common/linkedCancellation';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { DeviceBusyError } from '../device/deviceBusyError';
import type { DeviceFacts } from '../device/deviceFacts';
import { postRestoreSteps } from '../restore/postRestoreSteps';
import type { RestoreRunOptions, RestoreRunResult } from '../restore/restoreEngine';
import { isRestorePreflightError } from '../restore/restorePreflightError';
import type { BackupPreflightFacts } from '../restore/restorePreflightFacts';
import type { RestoreProgress } from '../restore/restoreProgress';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import { benchChecks, benchFailureFromChecks, benchFailureFromError } from './benchFailure';
import { ENGINE_OPERATIONS, type BenchOperations } from './benchOperations';
import type { BenchDevice, BenchRow, BenchRowState, BenchSummary } from './benchRow';
import { filesAndBytes, flattenSteps, ROW_DETAIL } from './benchRowText';
import { isFinishedRow, summarizeBench } from './benchSummary';
import { waitForDeviceRestart } from './deviceRestartWait';
import { RowChangeEmitter } from './rowChangeEmitter';

/** Devices worked on at once unless the caller says otherwise, and the most it may say. */
export const DEFAULT_BENCH_JOBS = 4;
export const MAX_BENCH_JOBS = 16;

/** How long a person has to tap "Trust" on a device the bench is not paired with. */
const TRUST_TIMEOUT_MS = 2 * 60_000;
/** How long the bench waits for a restored device to restart and come back before it says so and moves on. */
const RESTART_TIMEOUT_MS = 5 * 60_000;
const RESTART_POLL_MS = 500;

/** What the bench works with. */
export interface KittingBenchOptions {
  mux: UsbmuxClient;
  /** Backups land in `<backupRoot>/<udid>/`. */
  backupRoot: string;
  /** Devices worked on at once (default 4, 1..16). */
  jobs?: number;
  logger?: Logger;
  /** The engines; tests of the scheduling replace some of them. */
  operations?: Partial<BenchOperations>;
  /** Shorter waits for tests: the Trust dialog, the restart after a restore, and its poll. */
  waits?: { trustTimeoutMs?: number; restartTimeoutMs?: number; restartPollMs?: number; progressIntervalMs?: number };
}

/**
 * One backup restored to many devices, with the restore's options (RestoreRunOptions' meanings): every restore
 * of the plan shares its backup checks.
 */
export type BenchRestorePlan = Pick<
  RestoreRunOptions,
  'backupDir' | 'password' | 'answers' | 'rules' | 'reboot' | 'restoreSystemFiles' | 'preserveSettings' | 'copyFirst' | 'removeItemsNotRestored' | 'skipApps'
>;

type JobRequest = { operation: 'backup'; full: boolean } | { operation: 'restore'; plan: BenchRestorePlan };

/** One row's job: its request, its latest snapshot, and (while it runs) its own cancellation. */
interface BenchJob {
  readonly id: string;
  readonly udid: string;
  readonly request: JobRequest;
  row: BenchRow;
  phase: 'queued' | 'running' | 'finished';
  cancellation?: LinkedCancellation;
}

/** A row's fields that belong to one attempt, cleared when it runs again. */
const ATTEMPT_FIELDS = ['percent', 'detail', 'startedAt', 'endedAt', 'checks', 'nextSteps', 'backupResultDir', 'summary', 'failure'] as const;

/**
 * The kitting bench: backups and restores of many devices in one process, at most `jobs` at once, queued in
 * the order added. Each row has its own cancellation and its own outcome: one device failing, detaching,
 * waiting for its passcode or for "Trust" never stops or slows the others (each job catches its own errors).
 * Rows are immutable snapshots; every change makes a new one, and listeners hear of it (progress coalesced).
 *
 * Shared resources stay bounded however many devices run: the password-key derivations (PBKDF2 workers, at
 * most one per core in the process, passwordKey.ts), the restore checks of a plan's backup (read once per
 * plan, not once per device), and memory per device: a backup buffers at most 8 MiB of file content
 * (PendingWrites), a restore streams one file at a time in 32 KiB blocks and waits for the socket to drain
 * before the next (sendRequestedFiles, DeviceLink.sendRaw), so one device costs the same memory however large its backup.
 */
export class KittingBench {
  private readonly jobs: BenchJob[] = [];
  private readonly queue: BenchJob[] = [];
  private running = 0;
  private nextRowNumber = 1;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly operations: BenchOperations;
  private readonly logger: Logger;
  private readonly emitter: RowChangeEmitter;
  private readonly limit: number;
  /** The backup side of the restore checks, read once per plan (a rejected read is dropped, so a retry reads again). */
  private readonly planChecks = new Map<BenchRestorePlan, Promise<BackupPreflightFacts>>();
  /** Stops the plans' backup checks when the bench goes (they serve every row of a plan, so no one row stops them). */
  private readonly planAbort = new AbortController();

  constructor(private readonly options: KittingBenchOptions) {
    const jobs = options.jobs ?? DEFAULT_BENCH_JOBS;
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_BENCH_JOBS) {
      throw new UsageError(`The number of devices worked on at once must be a whole number from 1 to ${MAX_BENCH_JOBS}, not ${jobs}.`);
    }
    this.limit = jobs;
    this.operations = { ...ENGINE_OPERATIONS, ...options.operations };
    this.logger = (options.logger ?? silentLogger).child('bench');
    this.emitter = new RowChangeEmitter(this.logger, options.waits?.progressIntervalMs);
  }

  /** The rows, in the order added. */
  get rows(): readonly BenchRow[] {
    return this.jobs.map((j) => j.row);
  }

  /** Called for every change of a row (state changes at once, progress at most every 100 ms per row). */
  onDidChange(listener: (row: BenchRow) => void): { dispose(): void } {
    return this.emitter.subscribe(listener);
  }

  /** Queues a backup of the device into `<backupRoot>/<udid>/`; it runs when a job slot is free. */
  addBackup(udid: string, options: { full?: boolean } = {}): BenchRow {
    return this.add(udid, { operation: 'backup', full: options.full ?? false });
  }

  /** Queues a restore of the plan's backup to the device; the restore checks run first (state 'checking'). */
  addRestore(udid: string, plan: BenchRestorePlan): BenchRow {
    return this.add(udid, { operation: 'restore', plan });
  }

  /** Cancels a queued or running row (it ends 'cancelled'); a finished or unknown row is left as it is. */
  cancel(rowId: string): void {
    const job = this.jobs.find((j) => j.id === rowId);
    if (!job) return;
    if (job.phase === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      job.phase = 'finished';
      this.update(job, { state: 'cancelled', detail: 'Cancelled before it started.' });
      this.resolveIdle();
    } else if (job.phase === 'running') {
      this.logger.info('cancelling', { row: job.id, udid: job.udid });
      job.cancellation?.cancel();
    }
  }

  /** Runs a finished row again (attempt + 1); throws UsageError for a row still queued or running. */
  retry(rowId: string): BenchRow {
    this.throwIfDisposed();
    const job = this.jobs.find((j) => j.id === rowId);
    if (!job) throw new UsageError(`There is no row ${rowId} on the bench.`);
    if (job.phase !== 'finished') throw new UsageError(`The ${job.request.operation} of ${job.udid} has not finished yet; only a finished row can be retried.`);
    this.refuseBusy(job.udid);
    const row: BenchRow = { ...job.row, state: 'queued', attempt: job.row.attempt + 1 };
    for (const field of ATTEMPT_FIELDS) delete row[field];
    job.phase = 'queued';
    this.replace(job, row);
    this.queue.push(job);
    this.pump();
    return job.row;
  }

  /** Cancels every queued and running row. */
  cancelAll(): void {
    for (const job of [...this.jobs]) this.cancel(job.id);
  }

  /** Drops the finished rows (done, failed, refused, cancelled). */
  clearFinished(): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      const job = this.jobs[i];
      if (job.phase !== 'finished') continue;
      this.jobs.splice(i, 1);
      this.emitter.forget(job.id);
    }
  }

  summary(): BenchSummary {
    return summarizeBench(this.rows);
  }

  /** Resolves when no row is queued or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels everything; the bench takes no new rows. */
  dispose(): void {
    if (this.disposed) return;
    this.cancelAll();
    this.disposed = true;
    this.planAbort.abort();
    this.emitter.dispose();
  }

  private add(udid: string, request: JobRequest): BenchRow {
    this.throwIfDisposed();
    this.refuseBusy(udid);
    const id = `row-${this.nextRowNumber++}`;
    const row: BenchRow = { id, operation: request.operation, device: { udid }, state: 'queued', attempt: 1 };
    if (request.operation === 'restore') row.backupDir = request.plan.backupDir;
    const job: BenchJob = { id, udid, request, row: Object.freeze(row), phase: 'queued' };
    this.jobs.push(job);
    this.queue.push(job);
    this.emitter.changed(job.row);
    this.logger.info(`queued ${request.operation}`, { row: id, udid });
    this.pump();
    return job.row;
  }

  /** Two jobs on one device would fight over its one backup agent: the second is refused with DeviceBusyError's sentence. */
  private refuseBusy(udid: string): void {
    const key = udid.toUpperCase();
    const busy = this.jobs.find((j) => j.phase !== 'finished' && j.udid.toUpperCase() === key);
    if (busy) throw new DeviceBusyError(udid, busy.request.operation);
  }

  private throwIfDisposed(): void {
    if (this.disposed) throw new UsageError('The bench was closed; open it again to add devices.');
  }

  /** Starts queued jobs while slots are free. */
  private pump(): void {
    while (this.running < this.limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.start(job);
    }
  }

  private start(job: BenchJob): void {
    job.phase = 'running';
    this.running++;
    const cancellation = linkedCancellation(undefined);
    job.cancellation = cancellation;
    this.update(job, { startedAt: Date.now() });
    void this.execute(job, cancellation.token)
      .catch((err: unknown) => {
        // execute() settles every row itself; reaching here is a bug in the bench, and it must not stop the others.
        this.logger.error('bench job ended unexpectedly', { row: job.id, reason: err instanceof Error ? err.message : String(err) });
        if (!isFinishedRow(job.row)) this.update(job, { state: 'failed', endedAt: Date.now(), failure: benchFailureFromError(err) });
      })
      .finally(() => {
        cancellation.dispose();
        job.cancellation = undefined;
        job.phase = 'finished';
        this.running--;
        this.pump();
        this.resolveIdle();
      });
  }

  /** Runs one attempt of a row to its end, whatever happens; never throws for the device's or the engine's failures. */
  private async execute(job: BenchJob, token: CancellationTokenLike): Promise<void> {
    try {
      if (job.request.operation === 'backup') await this.backUp(job, job.request.full, token);
      else await this.restore(job, job.request.plan, token);
    } catch (err) {
      const endedAt = Date.now();
      if (isCancelledError(err) || token.isCancellationRequested) {
        this.update(job, { state: 'cancelled', endedAt, detail: err instanceof Error ? err.message : 'Cancelled.' });
      } else if (isRestorePreflightError(err)) {
        this.update(job, { state: 'refused', endedAt, checks: benchChecks(err.preflight), failure: benchFailureFromChecks(err.message, err.preflight), detail: undefined });
      } else {
        this.update(job, { state: 'failed', endedAt, failure: benchFailureFromError(err), detail: undefined });
      }
      this.logger.info(`${job.request.operation} ended: ${job.row.state}`, { row: job.id, udid: job.udid, reason: err instanceof Error ? err.message : String(err) });
    }
  }

  private async backUp(job: BenchJob, full: boolean, token: CancellationTokenLike): Promise<void> {
    this.update(job, { state: 'backing-up', detail: ROW_DETAIL.readingDevice });
    await this.readDeviceAndPair(job, 'backing-up', token);
    const result = await this.operations.runBackup({
      mux: this.options.mux,
      udid: job.udid,
      root: this.options.backupRoot,
      full,
      token,
      logger: this.options.logger,
      onProgress: (p) => this.transferProgress(job, 'backing-up', p, p.filesReceived, p.bytesReceived),
      onNotice: (text) => this.update(job, { state: 'waiting-for-passcode', detail: text }),
    });
    this.update(job, {
      state: 'done',
      endedAt: Date.now(),
      percent: 100,
      detail: undefined,
      backupResultDir: result.backupDir,
      summary: filesAndBytes(result.filesTransferred, result.bytesTransferred),
    });
  }

  private async restore(job: BenchJob, plan: BenchRestorePlan, token: CancellationTokenLike): Promise<void> {
    this.update(job, { state: 'checking', detail: ROW_DETAIL.readingDevice });
    await this.readDeviceAndPair(job, 'checking', token);
    this.update(job, { detail: ROW_DETAIL.checking });
    const checkedBackup = await untilCancelled(this.planCheck(plan), token, 'Restore');
    const result = await this.operations.runRestore({
      ...plan,
      mux: this.options.mux,
      udid: job.udid,
      checkedBackup,
      token,
      logger: this.options.logger,
      onPreflight: (preflight) => this.update(job, { checks: benchChecks(preflight) }),
      onProgress: (p) => this.restoreProgress(job, p),
      onNotice: (text, kind) => {
        if (kind === 'passcode-prompt') this.update(job, { state: 'waiting-for-passcode', detail: text });
        else this.logger.warn(text, { row: job.id, udid: job.udid });
      },
    });
    const nextSteps = flattenSteps(postRestoreSteps(result.preflight, { reboot: result.reboot, differentDevice: result.differentDevice, appsToReinstall: result.appsToReinstall }));
    const summary = filesAndBytes(result.filesSent, result.bytesSent);
    const detail = result.reboot ? await this.waitForRestart(job, token) : undefined;
    this.update(job, { state: 'done', endedAt: Date.now(), percent: 100, detail, nextSteps, summary });
    logRestoreDone(this.logger, job, result);
  }

  /** While the restored device restarts: 'restarting' until it is back (bounded); what to tell when it is not. */
  private async waitForRestart(job: BenchJob, token: CancellationTokenLike): Promise<string | undefined> {
    this.update(job, { state: 'restarting', percent: undefined, detail: ROW_DETAIL.restarting });
    const timeoutMs = this.options.waits?.restartTimeoutMs ?? RESTART_TIMEOUT_MS;
    const outcome = await waitForDeviceRestart({
      attachedUdids: () => this.operations.attachedUdids(this.options.mux),
      udid: job.udid,
      token,
      timeoutMs,
      pollMs: this.options.waits?.restartPollMs ?? RESTART_POLL_MS,
    });
    // The restore itself is done either way; only what to check next differs.
    if (outcome === 'back') return undefined;
    return outcome === 'cancelled' ? ROW_DETAIL.notWaited : ROW_DETAIL.notBack(Math.round(timeoutMs / 60_000));
  }

  /** Reads the device for its row; when this computer is not paired with it, pairs (the person taps "Trust", bounded). */
  private async readDeviceAndPair(job: BenchJob, state: BenchRowState, token: CancellationTokenLike): Promise<void> {
    const read = async (): Promise<DeviceFacts> => {
      const facts = await untilCancelled(this.operations.readFacts(this.options.mux, job.udid, this.logger), token, operationName(job));
      this.update(job, { device: benchDevice(job.udid, facts) });
      return facts;
    };
    const facts = await read();
    if (facts.paired) return;
    this.update(job, { state: 'waiting-for-trust', detail: ROW_DETAIL.waitingForTrust });
    // Awaited to its end, not raced with the token: pairing takes the token itself (cancel closes its connection at
    // once), so a cancelled row has no pairing left running when a new row for the device starts.
    await this.operations.pair(this.options.mux, job.udid, { trustTimeoutMs: this.options.waits?.trustTimeoutMs ?? TRUST_TIMEOUT_MS, logger: this.logger, token });
    this.update(job, { state, detail: ROW_DETAIL.readingDevice });
    await read();
  }

  /** The plan's backup checks, read once for all its rows (the password key derivation alone takes seconds). */
  private planCheck(plan: BenchRestorePlan): Promise<BackupPreflightFacts> {
    let check = this.planChecks.get(plan);
    if (!check) {
      this.logger.info('checking the backup of a restore plan', { backupDir: plan.backupDir });
      check = this.operations.readBackupFacts(plan.backupDir, plan.password, { signal: this.planAbort.signal });
      const cached = check;
      this.planChecks.set(plan, cached);
      cached.catch(() => {
        if (this.planChecks.get(plan) === cached) this.planChecks.delete(plan);
      });
    }
    return check;
  }

  private transferProgress(job: BenchJob, state: 'backing-up' | 'restoring', p: BackupProgress | RestoreProgress, files: number, bytes: number): void {
    // Any progress after the passcode prompt means the passcode was entered.
    const patch: Partial<BenchRow> = { state, detail: phaseDetail(p.phase, files, bytes) };
    patch.percent = p.percent === undefined ? undefined : Math.max(0, Math.min(100, Math.round(p.percent)));
    this.update(job, patch);
  }

  private restoreProgress(job: BenchJob, p: RestoreProgress): void {
    if (p.phase === 'checking') return;
    this.transferProgress(job, 'restoring', p, p.filesSent, p.bytesSent);
  }

  /** Makes the row's next snapshot (undefined fields are removed) and tells the listeners. */
  private update(job: BenchJob, patch: Partial<BenchRow>): void {
    const row: BenchRow = { ...job.row, ...patch };
    for (const key of Object.keys(patch) as (keyof BenchRow)[]) {
      if (patch[key] === undefined) delete row[key];
    }
    this.replace(job, row);
  }

  private replace(job: BenchJob, row: BenchRow): void {
    job.row = Object.freeze(row);
    if (!this.disposed) this.emitter.changed(job.row);
  }

  private isIdle(): boolean {
    return this.running === 0 && this.queue.length === 0;
  }

  private resolveIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The row's device as the report prints it: marketing name when known, else the product type. */
function benchDevice(udid: string, facts: DeviceFacts): BenchDevice {
  const device: BenchDevice = { udid };
  if (facts.name !== undefined) device.name = facts.name;
  const model = facts.marketingName ?? facts.productType;
  if (model !== undefined) device.model = model;
  if (facts.serialNumber !== undefined) device.serialNumber = facts.serialNumber;
  if (facts.iosVersion !== undefined) device.iosVersion = facts.iosVersion;
  return device;
}

function phaseDetail(phase: string, files: number, bytes: number): string {
  switch (phase) {
    case 'preparing':
      return ROW_DETAIL.preparing;
    case 'waiting-for-device':
      return files === 0 && bytes === 0 ? ROW_DETAIL.waitingForDevice : filesAndBytes(files, bytes);
    case 'finishing':
      return ROW_DETAIL.finishing;
    default:
      return filesAndBytes(files, bytes);
  }
}

function operationName(job: BenchJob): string {
  return job.request.operation === 'backup' ? 'Backup' : 'Restore';
}

function logRestoreDone(logger: Logger, job: BenchJob, result: RestoreRunResult): void {
  logger.info('restore done', { row: job.id, udid: job.udid, files: result.filesSent, bytes: result.bytesSent, reboot: result.reboot, detail: job.row.detail });
}

/**
 * The promise's outcome, or CancelledError as soon as the token cancels (the work itself goes on to its own
 * bounded end: reading the device is a few requests, a plan's backup check serves the plan's other rows).
 */
function untilCancelled<T>(promise: Promise<T>, token: CancellationTokenLike, operation: string): Promise<T> {
  if (token.isCancellationRequested) {
    promise.catch(() => undefined);
    return Promise.reject(new CancelledError(operation));
  }
  return new Promise<T>((resolve, reject) => {
    const subscription = token.onCancellationRequested(() => reject(new CancelledError(operation)));
    promise.then(
      (value) => {
        subscription.dispose();
        resolve(value);
      },
      (err: unknown) => {
        subscription.dispose();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the work's own rejection on unchanged
        reject(err);
      },
    );
  });
}
