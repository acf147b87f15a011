/*
 * The messages between ManifestDb (calling thread) and the Manifest.db worker. The worker answers each
 * request with exactly one reply carrying the same id, in order.
 */
import type { ErrorCode } from '../../common/errorCodes';

/** Row filters of count and cursor requests. */
export interface ManifestRowFilter {
  domain?: string;
  flags?: number;
}

/** One Files row as it crosses the thread boundary (a Buffer arrives as a plain Uint8Array). */
export interface ManifestRow {
  fileID: string;
  domain: string;
  relativePath: string;
  flags: number;
  file: Uint8Array | undefined;
}

/** Rows of an open cursor; `done` when the cursor is exhausted (the worker has freed it). */
export interface ManifestRowBatch {
  rows: ManifestRow[];
  done: boolean;
}

export type ManifestDbRequest =
  | { id: number; op: 'open'; bytes: Uint8Array }
  | { id: number; op: 'count'; filter: ManifestRowFilter }
  | { id: number; op: 'get'; fileID: string }
  | { id: number; op: 'openCursor'; filter: ManifestRowFilter }
  | { id: number; op: 'readBatch'; cursor: number }
  | { id: number; op: 'closeCursor'; cursor: number };

/** The request without its id, as ManifestDb writes it. */
export type ManifestDbCall = WithoutId<ManifestDbRequest>;
type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

/** A failure the worker reports: the sentence and the BackupError code it stands for. */
export interface ManifestDbFailure {
  message: string;
  code: ErrorCode;
}

export type ManifestDbReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; failure: ManifestDbFailure };
