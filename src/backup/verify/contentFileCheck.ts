import * as path from 'node:path';
import { BackupError, isCancelledError } from '../../common/errors';
import { fileSystemErrorReason } from '../../common/fileSystemErrorText';
import {
  isClassKeyMissingError,
  isEncryptedDataCorruptError,
  unwrapFileKey,
  type ClassKeys,
} from '../crypto';
import { hashedFilePath } from '../format/fileId';
import type { ManifestEntry } from '../format/manifestDb';
import { decodeMbFile, type MbFileRecord } from '../format/mbFile';
import { isRegularFileError, openRegularFile, type IrregularFileKind, type OpenedRegularFile, type RegularFileError } from '../format/regularFile';
import { judgeContentSize } from './contentSize';
import { readEncryptedContent } from './encryptedContent';
import type { HealthFindings } from './healthFindings';
import type { ReadBuffers } from './readBuffers';
import { readWhole } from './readWhole';
import type { ShardFolders } from './shardFolders';

/** What checking a backup's content files needs. */
export interface ContentCheckContext {
  backupDir: string;
  /** The unlocked class keys of an encrypted backup; undefined for a plain one. */
  classKeys?: ClassKeys;
  /** Aborting stops the file being read at its next chunk. */
  signal?: AbortSignal;
  findings: HealthFindings;
  /** The read buffers the checks running at once share. */
  buffers: ReadBuffers;
  /** The backup's shard folders, each checked once. */
  shards: ShardFolders;
}

/**
 * Checks one `Files` row with flags 1: its MBFile record reads, its content file `<xx>/<fileID>` is a regular
 * file inside the backup, every byte of it can be read, and, encrypted, its key unwraps and the content
 * decrypts with valid padding (see readEncryptedContent); then the content length is judged against the
 * recorded Size.
 * Returns the bytes read from disk. Every finding goes to the context's findings, naming the domain and path.
 */
export async function checkContentFile(entry: ManifestEntry, context: ContentCheckContext): Promise<number> {
  const { backupDir, findings } = context;
  const name = `${entry.domain}/${entry.relativePath}`;
  const report = (problem: string): void => findings.problem(entry.domain, entry.relativePath, problem);

  const record = readRecord(entry, report);
  let contentPath: string;
  try {
    contentPath = hashedFilePath(backupDir, entry.fileID);
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    report(`its fileID "${entry.fileID.slice(0, 80)}" in Manifest.db is not 40 hexadecimal characters, so its content file cannot be located`);
    return 0;
  }
  const shown = path.relative(backupDir, contentPath);
  const shard = await context.shards.stateOf(contentPath);
  if (shard === 'symlink' || shard === 'not-a-folder') {
    report(`its content file ${shown} lies in ${path.dirname(shown)}, which is ${shard === 'symlink' ? 'a symbolic link, and links are not followed' : 'not a folder'}`);
    return 0;
  }
  let opened: OpenedRegularFile;
  try {
    // The shard folder is a real folder (checked once for all its files); the file itself is opened no-follow.
    opened = await openRegularFile(contentPath, { describe: shown });
  } catch (err) {
    if (isRegularFileError(err) && err.kind === 'missing' && record?.size === 0) {
      // Devices send no content for an empty file, and hosts then store none.
      findings.tolerate(`${name} has no content file, which is how an empty file may be stored`);
      return 0;
    }
    if (isRegularFileError(err)) report(`its content file ${shown} ${IRREGULAR_PHRASES[err.kind](err)}`);
    else if (err instanceof BackupError) report(err.message);
    else throw err;
    return 0;
  }

  const fileKey = context.classKeys === undefined ? undefined : unwrapKey(record, context.classKeys, report);
  if (context.classKeys !== undefined && fileKey === undefined) {
    // Bytes that cannot be decrypted tell nothing more than that the file exists, which is known now.
    await opened.handle.close().catch(() => undefined);
    return 0;
  }
  const buffer = context.buffers.take();
  let contentBytes: number;
  let bytesRead: number;
  try {
    if (fileKey === undefined) {
      bytesRead = await readWhole(opened.handle, opened.size, buffer, context.signal);
      contentBytes = bytesRead;
    } else {
      ({ bytesRead, plaintextBytes: contentBytes } = await readEncryptedContent(opened.handle, opened.size, fileKey, name, buffer, context.signal));
    }
  } catch (err) {
    if (isEncryptedDataCorruptError(err)) {
      report(`its encrypted content is damaged: ${err.detail}`);
      return opened.size;
    }
    if (isCancelledError(err)) throw err;
    report(`its content file ${shown} could not be read to the end because ${fileSystemErrorReason(err)}`);
    return 0;
  } finally {
    // Key material is wiped as soon as the file is done, whatever happened.
    fileKey?.fill(0);
    context.buffers.giveBack(buffer);
    await opened.handle.close().catch(() => undefined);
  }
  if (bytesRead < opened.size) {
    report(`its content file ${shown} became shorter while it was being read, so something is changing the backup folder`);
  } else if (record !== undefined) {
    const verdict = judgeContentSize(name, entry.relativePath, record.size, contentBytes);
    if (verdict.kind === 'problem') report(verdict.problem);
    else if (verdict.kind === 'tolerated') findings.tolerate(verdict.sentence);
  }
  return bytesRead;
}

/** The MBFile record of a row, or undefined with the problem reported. */
function readRecord(entry: ManifestEntry, report: (problem: string) => void): MbFileRecord | undefined {
  if (entry.file === undefined) {
    report('its Manifest.db row has no file record, so its size and (when encrypted) its key are unknown');
    return undefined;
  }
  try {
    return decodeMbFile(entry.file);
  } catch (err) {
    report(`its Manifest.db record is damaged (${withoutStop(err instanceof Error ? err.message : String(err))})`);
    return undefined;
  }
}

/** The file's key unwrapped with its class key, or undefined with the problem reported. */
function unwrapKey(record: MbFileRecord | undefined, classKeys: ClassKeys, report: (problem: string) => void): Buffer | undefined {
  // A row without a readable record is reported already.
  if (record === undefined) return undefined;
  if (record.encryptionKey === undefined) {
    report('its Manifest.db record has no EncryptionKey, so its content cannot be decrypted');
    return undefined;
  }
  try {
    return unwrapFileKey(record.encryptionKey, classKeys);
  } catch (err) {
    if (isClassKeyMissingError(err)) {
      report(`its key is wrapped with protection class ${err.protectionClass}, for which the backup keybag has no key, so it cannot be decrypted`);
    } else if (isEncryptedDataCorruptError(err)) {
      report(`its file key in Manifest.db is damaged (${err.detail}), so it cannot be decrypted`);
    } else {
      throw err;
    }
    return undefined;
  }
}

/** The end of a sentence about a content file that is not a readable regular file. */
const IRREGULAR_PHRASES: Record<IrregularFileKind, (error: RegularFileError) => string> = {
  missing: () => 'is missing',
  folder: () => 'is a folder, not a file',
  symlink: () => 'is a symbolic link, which a backup never holds and which is not followed',
  fifo: () => 'is a named pipe (FIFO), not a file',
  socket: () => 'is a socket, not a file',
  device: () => 'is a device, not a file',
  'too-large': () => 'is too large to read',
  unreadable: (error) => `could not be opened because ${fileSystemErrorReason(error)}`,
};

function withoutStop(text: string): string {
  return text.replace(/\.$/, '');
}
