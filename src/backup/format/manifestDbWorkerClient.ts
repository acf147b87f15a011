import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BackupError, CancelledError } from '../../common/errors';
import { MANIFEST_DB_TIMEOUT_CODE, manifestDbUnreadable } from './manifestDbErrors';
import type { ManifestDbCall, ManifestDbReply, ManifestDbRequest } from './manifestDbMessages';

/** File name of the worker entry, both as a bundle in dist/ and as compiled output in out/. */
export const MANIFEST_DB_WORKER_FILE_NAME = 'manifestDbWorker.js';

/** How a {@link ManifestDbWorkerClient} runs its requests. */
export interface ManifestDbWorkerOptions {
  /** Each request is stopped (and the worker terminated) after this long. */
  readonly timeLimitMs: number;
  /** Where the database comes from, for the time-limit sentence ("in <origin>"). */
  readonly origin?: string;
  /** Aborting terminates the worker; pending and later requests reject with CancelledError. */
  readonly signal?: AbortSignal;
  /** Worker entry to run instead of the one found next to this module. */
  readonly workerFile?: string;
}

interface PendingRequest {
  id: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Where the worker entry is: next to this module (the dist/ bundles, or out/src/backup/format/ when compiled
 * by tsc), else the compiled tree beside a bundle.
 */
export function findManifestDbWorkerFile(): string {
  const candidates = [
    path.join(__dirname, MANIFEST_DB_WORKER_FILE_NAME),
    path.join(__dirname, '..', 'out', 'src', 'backup', 'format', MANIFEST_DB_WORKER_FILE_NAME),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  // Reading on the calling thread instead would give up the time limit, so a missing worker is an error.
  if (found === undefined) throw manifestDbUnreadable(`its reader (${MANIFEST_DB_WORKER_FILE_NAME}) was found neither at ${candidates.join(' nor at ')}`);
  return found;
}

/**
 * The calling thread's side of one Manifest.db worker: requests run one at a time, each under the time
 * limit; a request that overruns terminates the worker, and every later request fails with the same sentence.
 */
export class ManifestDbWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: PendingRequest | undefined;
  private stopped: Error | undefined;
  private readonly onAbort = (): void => this.stop(new CancelledError('Reading Manifest.db'));

  constructor(private readonly options: ManifestDbWorkerOptions) {
    this.worker = new Worker(options.workerFile ?? findManifestDbWorkerFile());
    // An idle worker must not keep the process alive; it is referenced only while a request is out.
    this.worker.unref();
    this.worker.on('message', (reply: ManifestDbReply) => this.settle(reply));
    this.worker.on('error', (error) => this.stop(manifestDbUnreadable(`its reader stopped (${error.message.replace(/\.$/, '')})`, error)));
    this.worker.on('exit', (exitCode) => this.stop(manifestDbUnreadable(`its reader exited with code ${exitCode}`)));
    if (options.signal?.aborted) this.onAbort();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Sends one request after the previous ones have been answered; resolves with the worker's answer. */
  call<T>(call: ManifestDbCall): Promise<T> {
    const next = this.queue.then(() => this.send(call));
    this.queue = next.catch(() => undefined);
    return next as Promise<T>;
  }

  /** Throws why the worker was stopped (time limit, abort, close), if it was. */
  throwIfStopped(): void {
    if (this.stopped !== undefined) throw this.stopped;
  }

  /** Terminates the worker; later calls reject with `reason` (by default, "used after it was closed"). */
  stop(reason: Error = new BackupError('Manifest.db was used after it was closed.', 'backup.manifest-closed')): void {
    if (this.stopped !== undefined) return;
    this.stopped = reason;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    void this.worker.terminate();
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
  }

  private send(call: ManifestDbCall): Promise<unknown> {
    if (this.stopped !== undefined) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => this.stop(this.timedOut()), this.options.timeLimitMs);
      this.pending = { id, resolve, reject, timer };
      this.worker.ref();
      this.post({ ...call, id });
    });
  }

  private post(request: ManifestDbRequest): void {
    if (request.op !== 'open') return this.worker.postMessage(request);
    // Database bytes move rather than being cloned (cloning 100 MB takes seconds on a busy machine). Only a
    // whole buffer can move; bytes that are a view into a larger one are copied first.
    const { bytes } = request;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const moved = whole ? bytes : new Uint8Array(bytes);
    this.worker.postMessage({ ...request, bytes: moved }, [moved.buffer as ArrayBuffer]);
  }

  private settle(reply: ManifestDbReply): void {
    const pending = this.pending;
    if (pending === undefined || pending.id !== reply.id) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    this.worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new BackupError(reply.failure.message, reply.failure.code));
  }

  private timedOut(): BackupError {
    const where = this.options.origin === undefined ? '' : ` in ${this.options.origin}`;
    const seconds = Math.round(this.options.timeLimitMs / 100) / 10;
    return new BackupError(`Manifest.db${where} took longer than ${seconds} s to read; the file may be crafted or damaged.`, MANIFEST_DB_TIMEOUT_CODE);
  }
}
