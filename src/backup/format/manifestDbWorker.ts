/*
 * Worker-thread entry: holds one untrusted Manifest.db and answers ManifestDb's requests. sql.js runs
 * synchronously, so a crafted or damaged file could otherwise freeze the extension host or the CLI; here the
 * calling thread terminates the worker when a request runs past its time limit. Bundled to
 * dist/manifestDbWorker.js; compiled to out/src/backup/format/manifestDbWorker.js for the tests.
 */
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';
import { BackupError, isBackupError } from '../../common/errors';
import { MANIFEST_DB_UNREADABLE_CODE } from './manifestDbErrors';
import type { ManifestDbFailure, ManifestDbReply, ManifestDbRequest, ManifestRowBatch } from './manifestDbMessages';
import { ManifestDbQueries, packedBuffer } from './manifestDbQueries';
import { loadSqlJs } from './sqlJsLoader';

let queries: ManifestDbQueries | undefined;

async function answer(request: ManifestDbRequest): Promise<unknown> {
  if (request.op === 'open') {
    queries = ManifestDbQueries.open(await loadSqlJs(), request.bytes);
    return undefined;
  }
  if (queries === undefined) throw new BackupError('Manifest.db was queried before it was opened.', 'backup.manifest-closed');
  switch (request.op) {
    case 'count':
      return queries.count(request.filter);
    case 'get':
      return queries.get(request.fileID);
    case 'openCursor':
      return queries.openCursor(request.filter);
    case 'readBatch':
      return queries.readBatch(request.cursor);
    case 'closeCursor':
      return queries.closeCursor(request.cursor);
  }
}

function failureOf(err: unknown): ManifestDbFailure {
  if (isBackupError(err)) return { message: err.message, code: err.code };
  // SQLite's own complaints ("database disk image is malformed") end here.
  const detail = err instanceof Error ? err.message : String(err);
  return { message: `Cannot read Manifest.db because SQLite reported: ${detail.replace(/\.$/, '')}.`, code: MANIFEST_DB_UNREADABLE_CODE };
}

function serve(port: MessagePort): void {
  // One request at a time, in order: the calling thread's time limit covers exactly one request.
  let queue = Promise.resolve();
  port.on('message', (request: ManifestDbRequest) => {
    queue = queue.then(async () => {
      let reply: ManifestDbReply;
      let transfer: ArrayBuffer[] = [];
      try {
        const value = await answer(request);
        reply = { id: request.id, ok: true, value };
        const packed = request.op === 'readBatch' ? packedBuffer(value as ManifestRowBatch) : undefined;
        if (packed !== undefined) transfer = [packed];
      } catch (err) {
        reply = { id: request.id, ok: false, failure: failureOf(err) };
      }
      port.postMessage(reply, transfer);
    });
  });
}

if (!isMainThread && parentPort !== null) serve(parentPort);
