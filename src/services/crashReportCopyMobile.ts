import { ProtocolError } from '../common/errors';
import type { ServiceProvider } from '../lockdown/serviceProvider';
import { AfcClient } from './afcClient';
import { AFC_OPERATION, decodeAfcStrings, encodeAfcPath, encodeAfcU64 } from './afcPacket';
import { describeAfcStatus } from './afcStatus';

/** Bytes asked for per read; AFC replies above 1 MiB are refused by the packet decoder. */
const READ_CHUNK_BYTES = 256 * 1024;
/** Largest crash report copied; real ones are well under a megabyte. */
export const MAX_CRASH_REPORT_BYTES = 32 * 1024 * 1024;
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
 * speaks the same packets as com.apple.afc (the client in afcClient.ts) and adds what reading a folder
 * needs: list a directory, get file info, and read a file (open, read until the end, close).
 */
export class CrashReportCopyMobileService extends AfcClient {
  static readonly SERVICE_NAME = SERVICE;

  constructor(provider: ServiceProvider) {
    super(provider, SERVICE);
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
    const handle = await this.openFile(path);
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
      await this.closeFile(handle, path).catch(() => undefined);
    }
    const bytes = Buffer.concat(parts, total);
    if (bytes.length <= maxBytes) return bytes;
    if (options.partial) return bytes.subarray(0, maxBytes);
    throw new ProtocolError(`The crash report ${path} is larger than ${maxBytes} bytes; it was not copied.`, SERVICE);
  }

  protected override refusal(path: string | undefined, status: number): string {
    return `The device refused to read ${path}: ${describeAfcStatus(status)}.`;
  }
}
