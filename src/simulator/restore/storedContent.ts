import { closeSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { CONTENT_CHUNK_BYTES } from '../dataset/contentStream';
import type { DatasetEntry } from '../dataset/simulatedDataset';
import type { DatasetSpec } from '../scenario';

/** One item of a device's restored content: its metadata and, for a file, the SHA-256 of its bytes. */
export interface StoredEntry extends DatasetEntry {
  sha256: string | undefined;
}

/** Where a stored item's bytes are: `<folder>/<first two hex chars>/<fileID>`. */
export function storedContentPath(folder: string, fileID: string): string {
  return path.join(folder, fileID.slice(0, 2), fileID);
}

/**
 * The content a restore put on a device: the same shape as a generated dataset (entries, files,
 * content as chunks), so a backup reads it the same way, but the bytes come from the files the
 * restore stored in the state dir, read one chunk at a time.
 */
export class StoredContent {
  readonly entries: readonly DatasetEntry[];

  constructor(
    /** The scenario's dataset spec (its generation is what backup reports name). */
    readonly spec: DatasetSpec,
    entries: readonly StoredEntry[],
    /** Absolute folder holding the content files. */
    readonly folder: string,
  ) {
    this.entries = entries;
  }

  /** The regular files only. */
  files(): DatasetEntry[] {
    return this.entries.filter((e) => e.kind === 'file');
  }

  /** Sum of all file sizes. */
  totalFileBytes(): number {
    return this.entries.reduce((sum, e) => sum + e.size, 0);
  }

  /** The content of a file as chunks of at most `chunkBytes`, read one at a time. */
  *content(entry: DatasetEntry, chunkBytes: number = CONTENT_CHUNK_BYTES): Generator<Buffer> {
    if (entry.size === 0) return;
    const fd = openSync(storedContentPath(this.folder, entry.fileID), 'r');
    try {
      for (;;) {
        const chunk = Buffer.allocUnsafe(chunkBytes);
        const n = readSync(fd, chunk, 0, chunkBytes, null);
        if (n === 0) return;
        yield n === chunkBytes ? chunk : chunk.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
  }
}
