import { existsSync } from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConcurrencyLimit } from '../../common/concurrencyLimit';
import { BackupError, CancelledError } from '../../common/errors';
import { KEYBAG_MAX_SHA1_ITERATIONS, KEYBAG_MAX_SHA256_ITERATIONS, type KeybagHeader } from './keybagTlv';

/** DPIC of real iOS 10.2+ backup keybags: PBKDF2-HMAC-SHA256 iterations (about two seconds of CPU). */
export const DEFAULT_SHA256_ITERATIONS = 10_000_000;
/** ITER of real backup keybags: PBKDF2-HMAC-SHA1 iterations. */
export const DEFAULT_SHA1_ITERATIONS = 10_000;
/** Length of the password key and of the intermediate SHA-256 stage output. */
export const PASSWORD_KEY_BYTES = 32;
/** File name of the worker entry, both as a bundle in dist/ and as compiled output in out/. */
export const PBKDF2_WORKER_FILE_NAME = 'pbkdf2Worker.js';

const DERIVATION_OPERATION = 'Deriving the backup password key';

/**
 * The PBKDF2 workers running at once in this process. Each derivation keeps one core busy for seconds; a bench
 * restoring to eight devices, the Backups view inspecting many encrypted backups and the in-process simulator
 * may all ask together, and more workers than cores only slow every one of them down (and each worker costs
 * memory of its own), so the rest wait in arrival order.
 */
const derivationSlots = new ConcurrencyLimit(Math.max(1, os.availableParallelism()));

/** Derivations started in this process (worker threads actually launched); for logs and tests. */
let derivationsStarted = 0;

/** How many password-key derivations this process has started: tests count them to prove one is not repeated. */
export function passwordKeyDerivationsStarted(): number {
  return derivationsStarted;
}

/** PBKDF2 workers running now in this process (at most os.availableParallelism()). */
export function passwordKeyDerivationsRunning(): number {
  return derivationSlots.active;
}

/** One PBKDF2 stage: salt and iteration count. */
export interface Pbkdf2Stage {
  readonly salt: Uint8Array;
  readonly iterations: number;
}

/** Everything needed to turn a backup password into the key that unwraps class keys. */
export interface PasswordKeyParams {
  readonly password: string;
  /** SALT / ITER: the PBKDF2-HMAC-SHA1 stage every keybag has; it runs last. */
  readonly sha1: Pbkdf2Stage;
  /** DPSL / DPIC: the PBKDF2-HMAC-SHA256 stage of iOS 10.2+ keybags; it runs first. */
  readonly sha256?: Pbkdf2Stage;
}

/** Options of an off-thread derivation. */
export interface DeriveKeyOptions {
  /** Aborting terminates the worker and rejects with CancelledError. */
  readonly signal?: AbortSignal;
  /** Worker entry to run instead of the one found next to this module. */
  readonly workerFile?: string;
}

/** The derivation parameters a keybag header prescribes for a password (one or two stages). */
export function passwordKeyParams(header: KeybagHeader, password: string): PasswordKeyParams {
  const sha1 = { salt: header.salt, iterations: header.iterations };
  if (header.dpSalt !== undefined && header.dpIterations !== undefined) {
    return { password, sha1, sha256: { salt: header.dpSalt, iterations: header.dpIterations } };
  }
  return { password, sha1 };
}

/**
 * Where the worker entry is: next to this module (dist/ bundle beside dist/pbkdf2Worker.js, or
 * out/src/backup/crypto/ when compiled by tsc), else the compiled tree beside a bundle; undefined when neither exists.
 */
export function findPbkdf2WorkerFile(): string | undefined {
  const candidates = [
    path.join(__dirname, PBKDF2_WORKER_FILE_NAME),
    path.join(__dirname, '..', 'out', 'src', 'backup', 'crypto', PBKDF2_WORKER_FILE_NAME),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}

function derivationFailed(cause: unknown): BackupError {
  return new BackupError('The backup password key could not be derived.', 'backup.key-derivation', undefined, { cause });
}

/** Refuses a stage the keybag parser would have refused, whoever built the parameters. */
function checkStage(stage: Pbkdf2Stage, name: 'ITER' | 'DPIC', max: number): void {
  if (!Number.isInteger(stage.iterations) || stage.iterations < 1 || stage.iterations > max) {
    throw new RangeError(`The ${name} iteration count must be a whole number from 1 to ${max}, not ${stage.iterations}.`);
  }
}

/**
 * Derives the password key in a worker thread, honouring cancellation. This is the only way the product
 * derives a password key: seconds of PBKDF2 must never run on the main thread (it would freeze the extension
 * host or the simulator's sockets), and only a worker can be stopped mid-derivation (libuv's thread pool
 * cannot), so there is no fallback: without the worker file the derivation is refused.
 */
export async function deriveKeyInWorker(params: PasswordKeyParams, options: DeriveKeyOptions = {}): Promise<Buffer> {
  const { signal } = options;
  checkStage(params.sha1, 'ITER', KEYBAG_MAX_SHA1_ITERATIONS);
  if (params.sha256 !== undefined) checkStage(params.sha256, 'DPIC', KEYBAG_MAX_SHA256_ITERATIONS);
  if (signal?.aborted) throw new CancelledError(DERIVATION_OPERATION);
  const workerFile = options.workerFile ?? findPbkdf2WorkerFile();
  if (workerFile === undefined) {
    throw new BackupError(
      `The backup password key could not be derived because ${PBKDF2_WORKER_FILE_NAME} is missing from this installation.`,
      'backup.key-derivation',
    );
  }

  try {
    return await derivationSlots.run(() => deriveInNewWorker(workerFile, params, signal), signal);
  } catch (err) {
    // A derivation abandoned while it waited for a slot is a cancellation like one stopped mid-way.
    if (signal?.aborted && !(err instanceof CancelledError)) throw new CancelledError(DERIVATION_OPERATION);
    throw err;
  }
}

/** Runs one derivation in a worker of its own; aborting terminates the worker. */
function deriveInNewWorker(workerFile: string, params: PasswordKeyParams, signal: AbortSignal | undefined): Promise<Buffer> {
  if (signal?.aborted) return Promise.reject(new CancelledError(DERIVATION_OPERATION));
  derivationsStarted++;
  return new Promise<Buffer>((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: params });
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!settle()) return;
      void worker.terminate();
      reject(new CancelledError(DERIVATION_OPERATION));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: unknown) => {
      if (!settle()) return;
      if (message instanceof Uint8Array && message.byteLength === PASSWORD_KEY_BYTES) {
        resolve(Buffer.from(message.buffer, message.byteOffset, message.byteLength));
      } else {
        reject(derivationFailed(new TypeError('The PBKDF2 worker answered with something other than a key.')));
      }
    });
    worker.once('error', (error) => {
      if (settle()) reject(derivationFailed(error));
    });
    worker.once('exit', (exitCode) => {
      if (settle()) reject(derivationFailed(new Error(`The PBKDF2 worker exited with code ${exitCode} before answering.`)));
    });
  });
}
