import { AfcError, ProtocolError } from '../common/errors';
import type { ServiceProvider } from '../lockdown/serviceProvider';
import {
  AFC_HEADER_BYTES,
  AFC_OPEN_MODE,
  AFC_OPERATION,
  decodeAfcHeader,
  encodeAfcPacket,
  encodeAfcPath,
  encodeAfcU64,
} from './afcPacket';
import { AFC_STATUS, describeAfcStatus } from './afcStatus';
import type { ServiceConnection } from '../transport/serviceConnection';

/** How long one AFC request may take; the lock requests answer at once (non-blocking). */
const AFC_REPLY_TIMEOUT_MS = 15_000;

/** Bytes per FileRefWrite packet when writing a file (devices accept far more; small packets keep memory flat). */
export const AFC_WRITE_CHUNK_BYTES = 64 * 1024;

/** An open AFC file handle. */
export type AfcFileHandle = bigint;

/**
 * com.apple.afc: the media-partition file service. This client covers what the sync lock and small
 * metadata files need: open, lock/unlock, close, write a whole file, make a directory, remove a path. Requests run one at a time; a
 * non-zero status becomes an AfcError carrying the status and the path.
 */
export class AfcService {
  static readonly SERVICE_NAME = 'com.apple.afc';

  private connection: ServiceConnection | undefined;
  private packetNumber = 0n;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly provider: ServiceProvider) {}

  /** Starts the service. */
  async connect(): Promise<void> {
    this.connection = await this.provider.startService(AfcService.SERVICE_NAME);
  }

  /** Opens a file (mode from AFC_OPEN_MODE) and returns its handle. */
  async openFile(path: string, mode: number = AFC_OPEN_MODE.ReadOnly): Promise<AfcFileHandle> {
    const reply = await this.request(AFC_OPERATION.FileRefOpen, Buffer.concat([encodeAfcU64(mode), encodeAfcPath(path)]), path);
    if (reply.operation !== AFC_OPERATION.FileRefOpenResult || reply.data.length < 8) {
      throw new ProtocolError(`The device answered opening ${path} with AFC operation ${reply.operation} instead of a file handle.`, AfcService.SERVICE_NAME);
    }
    return reply.data.readBigUInt64LE(0);
  }

  /** Applies a lock operation (AFC_LOCK.Exclusive, .Unlock, …) to an open file. */
  async lockFile(handle: AfcFileHandle, operation: number, path?: string): Promise<void> {
    await this.request(AFC_OPERATION.FileRefLock, encodeAfcU64(handle, operation), path);
  }

  /** Closes an open file. */
  async closeFile(handle: AfcFileHandle, path?: string): Promise<void> {
    await this.request(AFC_OPERATION.FileRefClose, encodeAfcU64(handle), path);
  }

  /** Creates a directory (existing is fine on devices). */
  async makeDirectory(path: string): Promise<void> {
    await this.request(AFC_OPERATION.MakeDir, encodeAfcPath(path), path);
  }

  /**
   * Writes a whole file (created or truncated), sending the bytes in pieces of at most
   * AFC_WRITE_CHUNK_BYTES so no single packet grows with the file.
   */
  async writeFile(path: string, bytes: Buffer): Promise<void> {
    const handle = await this.openFile(path, AFC_OPEN_MODE.WriteOnly);
    try {
      for (let offset = 0; offset < bytes.length; offset += AFC_WRITE_CHUNK_BYTES) {
        await this.request(AFC_OPERATION.FileRefWrite, encodeAfcU64(handle), path, bytes.subarray(offset, offset + AFC_WRITE_CHUNK_BYTES));
      }
    } finally {
      await this.closeFile(handle, path).catch(() => undefined);
    }
  }

  /** Removes a file or an empty directory. */
  async removePath(path: string): Promise<void> {
    await this.request(AFC_OPERATION.RemovePath, encodeAfcPath(path), path);
  }

  /** Closes the connection. */
  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  /** Sends one request and reads its reply; Status replies other than success throw AfcError. */
  private request(operation: number, headerData: Buffer, path?: string, payload: Buffer = Buffer.alloc(0)): Promise<{ operation: number; data: Buffer }> {
    const run = async () => {
      const connection = this.connection;
      if (!connection) throw new Error('AfcService.connect() must be called first.');
      const packetNumber = this.packetNumber++;
      connection.sendRaw(encodeAfcPacket({ packetNumber, operation, headerData, payload }));
      const header = decodeAfcHeader(await connection.receiveRaw(AFC_HEADER_BYTES, AFC_REPLY_TIMEOUT_MS));
      const data = header.entireLength > AFC_HEADER_BYTES ? await connection.receiveRaw(header.entireLength - AFC_HEADER_BYTES, AFC_REPLY_TIMEOUT_MS) : Buffer.alloc(0);
      if (header.operation === AFC_OPERATION.Status) {
        if (data.length < 8) throw new ProtocolError('The device sent an AFC status without a code.', AfcService.SERVICE_NAME);
        const big = data.readBigUInt64LE(0);
        const status = big > 0xffffn ? -1 : Number(big);
        if (status !== AFC_STATUS.Success) {
          throw new AfcError(`The device refused an AFC request${path ? ` on ${path}` : ''}: ${describeAfcStatus(status)}.`, status, path);
        }
      }
      return { operation: header.operation, data };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
