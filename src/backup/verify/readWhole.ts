import type { FileHandle } from 'node:fs/promises';
import { CancelledError } from '../../common/errors';

/**
 * Reads an open file from its start to `size` (what it had when opened, so a file that keeps growing cannot
 * keep the read going) through `buffer`, handing each chunk to `onChunk` before the buffer is reused.
 * Returns the bytes read, fewer than `size` when the file shrank meanwhile.
 */
export async function readWhole(handle: FileHandle, size: number, buffer: Buffer, signal: AbortSignal | undefined, onChunk?: (chunk: Buffer) => void): Promise<number> {
  let position = 0;
  while (position < size) {
    if (signal?.aborted) throw new CancelledError('Checking the backup');
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
    if (bytesRead === 0) break;
    onChunk?.(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return position;
}
