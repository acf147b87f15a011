import { AfcError, ProtocolError } from '../common/errors';
import type { ServiceProvider } from '../lockdown/serviceProvider';
import { AFC_HEADER_BYTES, AFC_OPEN_MODE, AFC_OPERATION, decodeAfcHeader, decodeAfcStrings, encodeAfcPacket, encodeAfcPath, encodeAfcU64 } from './afcPacket';
import { AFC_STATUS, describeAfcStatus } from './afcStatus';
import type { ServiceConnection } from '../transport/serviceConnection';

/** Bytes asked for per read; AFC replies above 1 MiB are refused by the packet decoder. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Largest crash report copied; real ones are well under a megabyte. */
export const MAX_CRASH_REPORT_BYTES = 32 * 1024 * 1024;
/** How long one AFC request may take. */
const REPLY_TIMEOUT_MS = 15_000;

const SERVICE = 'com.apple.crashreportcopymobile';

/** What GetFileInfo says about a path. */
export interface AfcFileInfo {
  kind: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  /** st_mtime (AFC sends nanoseconds since 1970). */
  modified?: Date;
}

/**
 * com.apple.crashreportcopymobile: an AFC service rooted at the device's crash report folder. It
 * speaks the same packets as com.apple.afc (the codec in afcPacket.ts) and adds what reading a folder
 * needs: list a directory, get file info, and read a file (open, read until the end, close).
 */
export class CrashReportCopyMobileService {
  static readonly SERVICE_NAME = SERVICE;

  private connection: ServiceConnection | undefined;
  private packetNumber = 0n;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly provider: ServiceProvider) {}

  /** Starts the service. */
  async connect(): Promise<void> {
    this.connection ??= await this.provider.startService(SERVICE);
  }

  /** The names in a directory, without "." and "..". */
  async listDirectory(path: string): Promise<string[]> {
    const reply = await this.request(AFC_OPERATION.ReadDirectory, encodeAfcPath(path), path);
    return decodeAfcStrings(reply.data).filter((name) => name !== '.' && name !== '..');
  }

  /** Kind, size and modification time of a path. */
  async getFileInfo(path: string): Promise<AfcFileInfo> {
    const reply = await this.request(AFC_OPERATION.GetFileInfo, encodeAfcPath(path), path);
    const items = decodeAfcStrings(reply.data);
    const info = new Map<string, string>();
    for (let i = 0; i + 1 < items.length; i += 2) info.set(items[i], items[i + 1]);
    const format = info.get('st_ifmt');
    const mtimeNs = info.get('st_mtime');
    return {
      kind: format === 'S_IFREG' ? 'file' : format === 'S_IFDIR' ? 'directory' : format === 'S_IFLNK' ? 'symlink' : 'other',
      size: Number(info.get('st_size') ?? 0),
      modified: mtimeNs && /^\d+$/.test(mtimeNs) ? new Date(Number(BigInt(mtimeNs) / 1_000_000n)) : undefined,
    };
  }

  /** Reads a file (at most `maxBytes`; a longer file is refused rather than cut, unless `partial` is set). */
  async readFile(path: string, options: { maxBytes?: number; partial?: boolean } = {}): Promise<Buffer> {
    const maxBytes = options.maxBytes ?? MAX_CRASH_REPORT_BYTES;
    const opened = await this.request(AFC_OPERATION.FileRefOpen, Buffer.concat([encodeAfcU64(AFC_OPEN_MODE.ReadOnly), encodeAfcPath(path)]), path);
    if (opened.operation !== AFC_OPERATION.FileRefOpenResult || opened.data.length < 8) {
      throw new ProtocolError(`The device answered opening ${path} without a file handle.`, SERVICE);
    }
    const handle = opened.data.readBigUInt64LE(0);
    const parts: Buffer[] = [];
    let total = 0;
    try {
      for (;;) {
        const want = Math.min(READ_CHUNK_BYTES, maxBytes + 1 - total);
        if (want <= 0) break;
        const reply = await this.request(AFC_OPERATION.FileRefRead, encodeAfcU64(handle, want), path);
        if (reply.data.length === 0) break;
        parts.push(reply.data);
        total += reply.data.length;
      }
    } finally {
      await this.request(AFC_OPERATION.FileRefClose, encodeAfcU64(handle), path).catch(() => undefined);
    }
    const bytes = Buffer.concat(parts, total);
    if (bytes.length <= maxBytes) return bytes;
    if (options.partial) return bytes.subarray(0, maxBytes);
    throw new ProtocolError(`The crash report ${path} is larger than ${maxBytes} bytes; it was not copied.`, SERVICE);
  }

  /** Closes the connection. */
  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** Sends one request and reads its reply; a Status other than success throws AfcError. Requests run one at a time. */
  private request(operation: number, headerData: Buffer, path: string): Promise<{ operation: number; data: Buffer }> {
    const run = async () => {
      const connection = this.connection;
      if (!connection) throw new Error('CrashReportCopyMobileService.connect() must be called first.');
      const packetNumber = this.packetNumber++;
      connection.sendRaw(encodeAfcPacket({ packetNumber, operation, headerData, payload: Buffer.alloc(0) }));
      const header = decodeAfcHeader(await connection.receiveRaw(AFC_HEADER_BYTES, REPLY_TIMEOUT_MS), SERVICE);
      const data = header.entireLength > AFC_HEADER_BYTES ? await connection.receiveRaw(header.entireLength - AFC_HEADER_BYTES, REPLY_TIMEOUT_MS) : Buffer.alloc(0);
      if (header.operation === AFC_OPERATION.Status) {
        if (data.length < 8) throw new ProtocolError('The device sent an AFC status without a code.', SERVICE);
        const big = data.readBigUInt64LE(0);
        const status = big > 0xffffn ? -1 : Number(big);
        if (status !== AFC_STATUS.Success) throw new AfcError(`The device refused to read ${path}: ${describeAfcStatus(status)}.`, status, path);
        return { operation: header.operation, data: Buffer.alloc(0) };
      }
      return { operation: header.operation, data };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
