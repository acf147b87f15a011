import type { ServiceProvider } from '../lockdown/serviceProvider';
import { AfcClient, type AfcFileHandle } from './afcClient';
import { AFC_OPEN_MODE, AFC_OPERATION, encodeAfcPath, encodeAfcU64 } from './afcPacket';

/** Bytes per FileRefWrite packet when writing a file (devices accept far more; small packets keep memory flat). */
export const AFC_WRITE_CHUNK_BYTES = 64 * 1024;

/**
 * com.apple.afc: the media-partition file service. This client covers what the sync lock and small
 * metadata files need: open, lock/unlock, close, write a whole file, make a directory, remove a path.
 */
export class AfcService extends AfcClient {
  static readonly SERVICE_NAME = 'com.apple.afc';

  constructor(provider: ServiceProvider) {
    super(provider, AfcService.SERVICE_NAME);
  }

  /** Applies a lock operation (AFC_LOCK.Exclusive, .Unlock, …) to an open file. */
  async lockFile(handle: AfcFileHandle, operation: number, path?: string): Promise<void> {
    await this.request(AFC_OPERATION.FileRefLock, encodeAfcU64(handle, operation), path);
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
}
