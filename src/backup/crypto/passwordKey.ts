import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { BackupError, CancelledError } from '../../errors';
import type { KeybagHeader } from './keybagTlv';

/** DPIC of real iOS 10.2+ backup keybags: PBKDF2-HMAC-SHA256 iterations (about two seconds of CPU). */
export const DEFAULT_SHA256_ITERATIONS = 10_000_000;
/** ITER of real backup keybags: PBKDF2-HMAC-SHA1 iterations. */
export const DEFAULT_SHA1_ITERATIONS = 10_000;
/** Length of the password key and of the intermediate SHA-256 stage output. */
export const PASSWORD_KEY_BYTES = 32;
/** File name of the worker entry, both as a bundle in dist/ and as compiled output in out/. */
export const PBKDF2_WORKER_FILE_NAME = 'pbkdf2Worker.js';

const DERIVATION_OPERATION = 'Deriving the backup password key';

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

/** Derives the password key on the calling thread; blocks for seconds with real parameters, so only the worker calls it. */
export function derivePasswordKeySync(params: PasswordKeyParams): Buffer {
  const passwordBytes = Buffer.from(params.password, 'utf8');
  try {
    if (params.sha256 === undefined) {
      return pbkdf2Sync(passwordBytes, params.sha1.salt, params.sha1.iterations, PASSWORD_KEY_BYTES, 'sha1');
    }
    const intermediate = pbkdf2Sync(passwordBytes, params.sha256.salt, params.sha256.iterations, PASSWORD_KEY_BYTES, 'sha256');
    try {
      return pbkdf2Sync(intermediate, params.sha1.salt, params.sha1.iterations, PASSWORD_KEY_BYTES, 'sha1');
    } finally {
      intermediate.fill(0);
    }
  } finally {
    passwordBytes.fill(0);
  }
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

/** Derives the password key in a worker thread (or libuv's pool when no worker file exists), honouring cancellation. */
export async function deriveKeyInWorker(params: PasswordKeyParams, options: DeriveKeyOptions = {}): Promise<Buffer> {
  const { signal } = options;
  if (signal?.aborted) throw new CancelledError(DERIVATION_OPERATION);
  const workerFile = options.workerFile ?? findPbkdf2WorkerFile();
  if (workerFile === undefined) return deriveKeyInThreadPool(params, signal);

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

const pbkdf2Async = (password: Uint8Array, stage: Pbkdf2Stage, digest: 'sha1' | 'sha256'): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    pbkdf2(password, stage.salt, stage.iterations, PASSWORD_KEY_BYTES, digest, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** Resolves with the stage's result, or rejects at once on abort (libuv cannot stop the running stage; its result is wiped). */
function untilAborted(work: Promise<Buffer>, signal: AbortSignal | undefined): Promise<Buffer> {
  if (signal === undefined) return work;
  return new Promise<Buffer>((resolve, reject) => {
    const onAbort = (): void => {
      void work.then((late) => late.fill(0), () => undefined);
      reject(new CancelledError(DERIVATION_OPERATION));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (key) => {
        signal.removeEventListener('abort', onAbort);
        resolve(key);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Derives the password key with async crypto.pbkdf2, which runs in libuv's thread pool rather than the main thread. */
export async function deriveKeyInThreadPool(params: PasswordKeyParams, signal?: AbortSignal): Promise<Buffer> {
  if (signal?.aborted) throw new CancelledError(DERIVATION_OPERATION);
  const passwordBytes = Buffer.from(params.password, 'utf8');
  try {
    if (params.sha256 === undefined) return await untilAborted(pbkdf2Async(passwordBytes, params.sha1, 'sha1'), signal);
    const intermediate = await untilAborted(pbkdf2Async(passwordBytes, params.sha256, 'sha256'), signal);
    try {
      return await untilAborted(pbkdf2Async(intermediate, params.sha1, 'sha1'), signal);
    } finally {
      intermediate.fill(0);
    }
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    throw derivationFailed(error);
  } finally {
    passwordBytes.fill(0);
  }
}
