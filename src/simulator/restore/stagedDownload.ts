import { ProtocolError } from '../../common/errors';
import { buildDownloadFiles, DL_DEVICE_ERROR, DLTransferDecoder, parseMultiStatus, type DLFileOutcome } from '../../services/deviceLinkCodec';
import type { DeviceLinkSession } from '../backup/deviceLinkSession';
import { StagingFileSink } from './stagingFileSink';

/** One file the device asks the host for, and where its bytes go. */
export interface StagedDownload {
  /** Backup-relative path sent in DLMessageDownloadFiles (`<SourceUDID>/ab/ab12…`). */
  requestPath: string;
  /** Where the (decrypted) bytes are written, inside the staging folder. */
  stagePath: string;
  /** Most bytes accepted from the host for this file: a hostile host must not fill the device. */
  maxBytes: number;
  /** The file's key when the backup is encrypted: the bytes are decrypted on their way to disk. */
  fileKey?: Buffer;
}

/** How one requested file ended up. */
export type StagedDownloadOutcome = { status: 'staged'; bytes: number; sha256: string } | { status: 'failed'; reason: string };

/** Read timeout per piece: data keeps flowing during a transfer; a long stall means a dead link. */
const READ_TIMEOUT_MS = 120_000;
/** Pieces handed to the sinks: one DeviceLink block. */
const READ_PIECE_BYTES = 32 * 1024;

/**
 * Sends one DLMessageDownloadFiles and stages what the host streams back (docs/protocol/mobilebackup2.md#file-transfer-encoding): each
 * file into its own staging file, through the sink (decrypt, hash, backpressure). A host may stop
 * after a file it cannot serve (libimobiledevice does) or go on (others do); every requested path
 * not staged whole comes back as failed with the host's reason. A file the host did not ask for,
 * or sent twice, is a protocol violation. `onStaged` runs after each file that arrived whole.
 */
export async function downloadIntoStaging(
  session: DeviceLinkSession,
  files: readonly StagedDownload[],
  progress: number,
  onStaged?: (file: StagedDownload) => Promise<void>,
): Promise<Map<string, StagedDownloadOutcome>> {
  const byPath = new Map(files.map((f) => [f.requestPath, f]));
  const outcomes = new Map<string, StagedDownloadOutcome>();
  session.send(buildDownloadFiles([...byPath.keys()], progress));
  const decoder = new DLTransferDecoder(session.rawSource, 'download', { timeoutMs: READ_TIMEOUT_MS, readPieceBytes: READ_PIECE_BYTES }, 'host');
  for (;;) {
    const event = await decoder.next();
    if (event.kind === 'end') break;
    if (event.kind !== 'file') throw new ProtocolError('The host sent file data outside a file.', 'device link host');
    const target = byPath.get(event.path);
    if (!target || outcomes.has(event.path)) {
      throw new ProtocolError(`The host sent "${event.path.slice(0, 200)}", which the device did not ask for (or sent it twice).`, 'device link host');
    }
    const outcome = await stageOne(decoder, target);
    outcomes.set(target.requestPath, outcome);
    if (outcome.status === 'staged' && onStaged) await onStaged(target);
  }
  const answer = await session.awaitStatus('DLMessageDownloadFiles');
  for (const [path, failure] of parseMultiStatus(answer.value, 'host')) {
    if (byPath.has(path) && outcomes.get(path)?.status !== 'staged') outcomes.set(path, { status: 'failed', reason: failure.text });
  }
  const missing = answer.code === 0 || answer.code === DL_DEVICE_ERROR.MultiStatus ? 'the host did not send it' : `the host answered ${answer.code}${answer.text ? ` (${answer.text})` : ''}`;
  for (const file of files) if (!outcomes.has(file.requestPath)) outcomes.set(file.requestPath, { status: 'failed', reason: missing });
  return outcomes;
}

/** Reads one file's blocks into its sink; the stream is always read to the file's end so it stays in step. */
async function stageOne(decoder: DLTransferDecoder, target: StagedDownload): Promise<StagedDownloadOutcome> {
  const sink = new StagingFileSink(target.stagePath, target.fileKey, target.requestPath);
  let received = 0;
  let ended: DLFileOutcome | undefined;
  try {
    while (ended === undefined) {
      const event = await decoder.next();
      if (event.kind === 'data') {
        received += event.bytes.length;
        // Past the cap the bytes are read and dropped; the file is refused at its end.
        if (received <= target.maxBytes) await sink.write(event.bytes);
      } else if (event.kind === 'file-end') {
        ended = event.outcome;
      } else {
        throw new ProtocolError('The host ended a file transfer in the middle of a file.', 'device link host');
      }
    }
  } catch (err) {
    sink.discard();
    throw err;
  }
  if (ended.status !== 'success' || received > target.maxBytes) {
    sink.discard();
    if (ended.status === 'success') return { status: 'failed', reason: `the host sent ${received} bytes, more than the ${target.maxBytes} the backup declares` };
    return { status: 'failed', reason: ended.message.trim() || 'the host could not read it' };
  }
  const result = await sink.finish();
  if (result instanceof Error) return { status: 'failed', reason: result.message };
  return { status: 'staged', bytes: result.bytes, sha256: result.sha256 };
}
