import { createHash } from 'node:crypto';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { createFileDecryptStream } from '../../backup/crypto';

/** Bytes a stage may buffer before write() waits: a few transfer pieces, so memory stays flat. */
const HIGH_WATER_MARK = 256 * 1024;

/** What a finished sink wrote: the plaintext length and its SHA-256. */
export interface SinkResult {
  bytes: number;
  sha256: string;
}

/** Hashes and counts the plaintext on its way to disk. */
class PlaintextMeter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  constructor() {
    super({ highWaterMark: HIGH_WATER_MARK });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/**
 * One file being written into the staging folder from streamed pieces: optionally decrypted
 * (encrypted backups; AES-CBC with the file's key, padding removed), hashed, and written with
 * backpressure, so a file of any size costs a few hundred KiB. The file is created exclusively;
 * a failure (disk, bad padding) is kept and reported by finish(), and the partial file removed.
 */
export class StagingFileSink {
  private readonly out: WriteStream;
  private readonly meter = new PlaintextMeter();
  private readonly head: Writable;
  private failure: Error | undefined;
  private readonly failed: Promise<void>;
  private signalFailure: () => void = () => undefined;

  constructor(
    private readonly file: string,
    fileKey: Buffer | undefined,
    subject: string,
  ) {
    this.failed = new Promise((resolve) => (this.signalFailure = resolve));
    this.out = createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: HIGH_WATER_MARK });
    const decrypt = fileKey ? createFileDecryptStream(fileKey, { subject }) : undefined;
    this.head = decrypt ?? this.meter;
    decrypt?.pipe(this.meter);
    this.meter.pipe(this.out);
    for (const stream of [decrypt, this.meter, this.out]) stream?.on('error', (err: Error) => this.fail(err));
  }

  /** Why the file could not be written, once something failed. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Writes one piece, waiting while the stages are full; does nothing once the sink has failed. */
  async write(piece: Buffer): Promise<void> {
    if (this.failure) return;
    if (!this.head.write(piece)) {
      await Promise.race([new Promise<void>((resolve) => this.head.once('drain', resolve)), this.failed]);
    }
  }

  /** Ends the file and waits until it is on disk; a failure removes the partial file and is returned. */
  async finish(): Promise<SinkResult | Error> {
    if (!this.failure) {
      const written = new Promise<void>((resolve) => this.out.once('finish', resolve));
      this.head.end();
      await Promise.race([written, this.failed]);
    }
    if (this.failure) {
      this.discard();
      return this.failure;
    }
    return { bytes: this.meter.bytes, sha256: this.meter.hash.digest('hex') };
  }

  /** Abandons the file (the transfer failed or was cut): streams destroyed, partial file removed. */
  discard(): void {
    this.head.destroy();
    this.meter.destroy();
    this.out.destroy();
    rmSync(this.file, { force: true });
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.signalFailure();
  }
}
