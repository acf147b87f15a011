import { ProtocolError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { buildDownloadFiles, DLTransferDecoder, parseMultiStatus } from '../../services/deviceLinkCodec';
import type { DeviceLinkSession } from './deviceLinkSession';

/** What the host had for one requested path. */
export type DownloadedFile = { status: 'present'; bytes: Buffer } | { status: 'missing'; reason: string } | { status: 'too-large'; bytes: number };

/** Per-file byte caps: the device buffers these metadata files whole, so a hostile host must not send more. */
export const DOWNLOAD_CAPS = {
  'Status.plist': 1024 * 1024,
  'Manifest.plist': 64 * 1024 * 1024,
  'Manifest.db': 512 * 1024 * 1024,
} as const;

/** A metadata file of the previous backup the device may ask for. */
export type PreviousBackupFile = keyof typeof DOWNLOAD_CAPS;

/**
 * Asks the host for files of its previous backup (DLMessageDownloadFiles) and reads them whole,
 * each bounded by its cap. Paths the host could not serve come back as missing; the -13 multi
 * status answer only confirms that.
 */
export async function downloadPreviousBackupFiles(
  session: DeviceLinkSession,
  udid: string,
  names: readonly PreviousBackupFile[],
  log: Logger,
): Promise<Map<PreviousBackupFile, DownloadedFile>> {
  const byPath = new Map<string, PreviousBackupFile>(names.map((name) => [`${udid}/${name}`, name]));
  const results = new Map<PreviousBackupFile, DownloadedFile>();
  session.send(buildDownloadFiles([...byPath.keys()], 0));
  // Caps are enforced here per file (over-cap bytes are read and dropped), not by the decoder.
  const decoder = new DLTransferDecoder(session.rawSource, 'download', { timeoutMs: 120_000 }, 'host');
  let current: { name: PreviousBackupFile; chunks: Buffer[]; bytes: number } | undefined;
  for (;;) {
    const event = await decoder.next();
    if (event.kind === 'end') break;
    if (event.kind === 'file') {
      const name = byPath.get(event.path);
      if (!name || results.has(name)) throw new ProtocolError(`The host sent "${event.path.slice(0, 200)}", which the device did not ask for (or sent it twice).`, 'device link host');
      current = { name, chunks: [], bytes: 0 };
    } else if (event.kind === 'data' && current) {
      current.bytes += event.bytes.length;
      // Past the cap the bytes are read and dropped, so the stream stays in step.
      if (current.bytes <= DOWNLOAD_CAPS[current.name]) current.chunks.push(event.bytes);
      else current.chunks = [];
    } else if (event.kind === 'file-end' && current) {
      const { name, chunks, bytes } = current;
      if (event.outcome.status !== 'success') results.set(name, { status: 'missing', reason: event.outcome.message || 'the host could not read it' });
      else if (bytes > DOWNLOAD_CAPS[name]) results.set(name, { status: 'too-large', bytes });
      else results.set(name, { status: 'present', bytes: Buffer.concat(chunks, bytes) });
      log.debug('previous backup file received', { file: name, status: results.get(name)?.status, bytes });
      current = undefined;
    }
  }
  const answer = await session.awaitStatus('DLMessageDownloadFiles');
  for (const [path, failure] of parseMultiStatus(answer.value, 'host')) {
    const name = byPath.get(path);
    if (name && results.get(name)?.status !== 'present') results.set(name, { status: 'missing', reason: failure.text });
  }
  for (const name of names) if (!results.has(name)) results.set(name, { status: 'missing', reason: 'the host did not send it' });
  return results;
}
