import { AfcError, ProtocolError } from '../common/errors';
import type { ServiceProvider } from '../lockdown/serviceProvider';
import type { ServiceConnection } from '../transport/serviceConnection';
import { AFC_HEADER_BYTES, AFC_OPEN_MODE, AFC_OPERATION, decodeAfcHeader, encodeAfcPacket, encodeAfcPath, encodeAfcU64 } from './afcPacket';
import { AFC_STATUS, describeAfcStatus } from './afcStatus';

/** How long one AFC request may take; the lock requests answer at once (non-blocking). */
const AFC_REPLY_TIMEOUT_MS = 15_000;

/** An open AFC file handle. */
export type AfcFileHandle = bigint;

/** One AFC request's answer: the reply's operation and its data (none for a successful Status). */
export interface AfcReply {
  operation: number;
  data: Buffer;
}

/**
 * One connection to a service that speaks AFC packets (com.apple.afc, com.apple.crashreportcopymobile):
 * requests run one at a time, and a Status reply other than success becomes an AfcError carrying the status
 * and the path. The services add their own operations on top.
 */
export class AfcClient {
  private connection: ServiceConnection | undefined;
  private packetNumber = 0n;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly provider: ServiceProvider,
    readonly serviceName: string,
  ) {}

  /** Starts the service. */
  async connect(): Promise<void> {
    this.connection ??= await this.provider.startService(this.serviceName);
  }

  /** Opens a file (mode from AFC_OPEN_MODE) and returns its handle. */
  async openFile(path: string, mode: number = AFC_OPEN_MODE.ReadOnly): Promise<AfcFileHandle> {
    const reply = await this.request(AFC_OPERATION.FileRefOpen, Buffer.concat([encodeAfcU64(mode), encodeAfcPath(path)]), path);
    if (reply.operation !== AFC_OPERATION.FileRefOpenResult || reply.data.length < 8) {
      throw new ProtocolError(`The device answered opening ${path} with AFC operation ${reply.operation} instead of a file handle.`, this.serviceName);
    }
    return reply.data.readBigUInt64LE(0);
  }

  /** Closes an open file. */
  async closeFile(handle: AfcFileHandle, path?: string): Promise<void> {
    await this.request(AFC_OPERATION.FileRefClose, encodeAfcU64(handle), path);
  }

  /** Closes the connection. */
  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** The sentence of an AfcError: what the device refused. */
  protected refusal(path: string | undefined, status: number): string {
    return `The device refused an AFC request${path ? ` on ${path}` : ''}: ${describeAfcStatus(status)}.`;
  }

  /** Sends one request and reads its reply. */
  protected request(operation: number, headerData: Buffer, path?: string, payload: Buffer = Buffer.alloc(0)): Promise<AfcReply> {
    const run = async (): Promise<AfcReply> => {
      const connection = this.connection;
      if (!connection) throw new Error(`The ${this.serviceName} client must connect() first.`);
      const packetNumber = this.packetNumber++;
      connection.sendRaw(encodeAfcPacket({ packetNumber, operation, headerData, payload }));
      const header = decodeAfcHeader(await connection.receiveRaw(AFC_HEADER_BYTES, AFC_REPLY_TIMEOUT_MS), this.serviceName);
      const data = header.entireLength > AFC_HEADER_BYTES ? await connection.receiveRaw(header.entireLength - AFC_HEADER_BYTES, AFC_REPLY_TIMEOUT_MS) : Buffer.alloc(0);
      if (header.operation !== AFC_OPERATION.Status) return { operation: header.operation, data };
      if (data.length < 8) throw new ProtocolError('The device sent an AFC status without a code.', this.serviceName);
      const big = data.readBigUInt64LE(0);
      const status = big > 0xffffn ? -1 : Number(big);
      if (status !== AFC_STATUS.Success) throw new AfcError(this.refusal(path, status), status, path);
      return { operation: header.operation, data: Buffer.alloc(0) };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
