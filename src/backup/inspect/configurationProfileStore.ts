import type { Readable } from 'node:stream';
import { CancelledError, DeviceToolError } from '../../common/errors';
import { fileSystemErrorReason } from '../../common/fileSystemErrorText';
import { parsePlist, type PlistValue } from '../../plist';
import type { BackupEntry, BackupReader } from '../format/backupReader';
import { isUnsafePathError } from '../format/formatErrors';
import { MANIFEST_FLAGS } from '../format/manifestDb';
import { isRegularFileError } from '../format/regularFile';

/**
 * The device's configuration-profile store as a backup holds it: the system group container
 * /private/var/containers/Shared/SystemGroup/systemgroup.com.apple.configurationprofiles, whose files
 * a backup lists under this domain with paths relative to the container.
 */
export const CONFIGURATION_PROFILES_DOMAIN = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles';

/** The store's folder inside the domain. */
export const PROFILE_STORE_FOLDER = 'Library/ConfigurationProfiles';

/** The cloud configuration (Setup Assistant / Apple Configurator): supervision and the organisation. */
export const CLOUD_CONFIGURATION_PATH = `${PROFILE_STORE_FOLDER}/CloudConfigurationDetails.plist`;

/** The log of profile installs and removals. */
export const PROFILE_EVENTS_PATH = `${PROFILE_STORE_FOLDER}/MCProfileEvents.plist`;

/** The largest store file read; real ones are a few KiB (a profile with certificates, tens of KiB). */
export const STORE_FILE_MAX_BYTES = 1024 * 1024;

/** The most profile stubs read; a managed device carries a few dozen at most. */
export const MAX_PROFILE_STUBS = 256;

/**
 * The most rows of the domain looked at. The store has tens of files; a Manifest.db with far more rows
 * in this domain is not a device's, and walking them all would only let a hostile backup waste time.
 */
export const MAX_STORE_ROWS = 10_000;

const STUB_NAME = /^Library\/ConfigurationProfiles\/profile-[^/]+\.stub$/;

/** True for the relative path of an installed profile's stub: `profile-<hash>.stub`, directly in the store's folder. */
export function isProfileStubPath(relativePath: string): boolean {
  return STUB_NAME.test(relativePath);
}

/** The rows of the store that the management reader uses, gathered within the bounds above. */
export interface ProfileStoreListing {
  /** Rows of the domain seen (any kind, any path). Zero: the backup does not hold the store. */
  rowCount: number;
  /** True when the domain had more than MAX_STORE_ROWS rows and the rest were not looked at. */
  rowsTruncated: boolean;
  cloudConfiguration?: BackupEntry;
  profileEvents?: BackupEntry;
  /** The first MAX_PROFILE_STUBS stubs, by path. */
  stubs: BackupEntry[];
  /** Stubs beyond MAX_PROFILE_STUBS, counted but not kept. */
  stubsNotRead: number;
}

/** Walks the store's rows in Manifest.db once, keeping only the entries the reader needs. */
export async function listProfileStore(reader: BackupReader, signal?: AbortSignal): Promise<ProfileStoreListing> {
  const listing: ProfileStoreListing = { rowCount: 0, rowsTruncated: false, stubs: [], stubsNotRead: 0 };
  for await (const entry of reader.iterateEntries({ domain: CONFIGURATION_PROFILES_DOMAIN })) {
    throwIfAborted(signal);
    if (listing.rowCount >= MAX_STORE_ROWS) {
      listing.rowsTruncated = true;
      break;
    }
    listing.rowCount++;
    // Manifest.db may name a path twice; the first row wins, as it does for every reader of the backup.
    if (entry.relativePath === CLOUD_CONFIGURATION_PATH) listing.cloudConfiguration ??= entry;
    else if (entry.relativePath === PROFILE_EVENTS_PATH) listing.profileEvents ??= entry;
    else if (isProfileStubPath(entry.relativePath)) {
      if (listing.stubs.length < MAX_PROFILE_STUBS) listing.stubs.push(entry);
      else listing.stubsNotRead++;
    }
  }
  return listing;
}

/** A store file parsed as a property list, or the reason it could not be used (one sentence, no errno). */
export type StorePlistRead = { ok: true; value: PlistValue } | { ok: false; problem: string };

/**
 * Reads one store file through the reader's source (decrypting it in an encrypted backup) and parses it
 * as a binary or XML property list. Only a Manifest.db file row (flags 1) whose content is a regular
 * file is read, and at most STORE_FILE_MAX_BYTES of it. Every refusal is returned as a sentence for the
 * engineer, because one bad file must make its fact unknown rather than fail the whole inspection.
 */
export async function readStorePlist(reader: BackupReader, entry: BackupEntry, signal?: AbortSignal): Promise<StorePlistRead> {
  throwIfAborted(signal);
  if (entry.flags !== MANIFEST_FLAGS.file) {
    return { ok: false, problem: `Manifest.db lists it as ${rowKindText(entry.flags)}, not as a file, so it was not read.` };
  }
  let bytes: Buffer;
  try {
    bytes = await readCapped(await reader.openEntry(entry), STORE_FILE_MAX_BYTES, signal);
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    return { ok: false, problem: readProblem(err) };
  }
  if (bytes.length === 0) return { ok: false, problem: 'Its content is empty, so it says nothing.' };
  try {
    return { ok: true, value: parsePlist(bytes) };
  } catch (err) {
    return { ok: false, problem: `Its content is not a readable property list (${err instanceof Error ? trimPeriod(err.message) : 'unknown format'}).` };
  }
}

/** Thrown inside readCapped when the content passes the cap. */
class TooLargeError extends Error {}

/** Collects a stream up to `maxBytes`, destroying it (and the file under it) as soon as it goes past. */
async function readCapped(stream: Readable, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const onAbort = (): void => void stream.destroy(new CancelledError('Reading the management state'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      total += buffer.length;
      if (total > maxBytes) throw new TooLargeError();
      chunks.push(buffer);
    }
    throwIfAborted(signal);
    return Buffer.concat(chunks, total);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stream.destroy();
  }
}

function readProblem(err: unknown): string {
  if (err instanceof TooLargeError) {
    return `Its content is larger than ${STORE_FILE_MAX_BYTES} bytes, far more than such a file holds, so it was not read.`;
  }
  if (isRegularFileError(err)) {
    switch (err.kind) {
      case 'missing':
        return 'Its content file is missing from the backup folder.';
      case 'folder':
        return 'Its content file in the backup folder is a folder, not a file, so it was not read.';
      case 'symlink':
        return 'Its content file in the backup folder is a symlink, and links are never followed inside a backup.';
      case 'fifo':
      case 'socket':
      case 'device':
        return `Its content file in the backup folder is a ${err.kind === 'fifo' ? 'named pipe' : err.kind}, not a file, so it was not read.`;
      default:
        return `Its content file could not be read because ${fileSystemErrorReason(err)}.`;
    }
  }
  if (isUnsafePathError(err)) {
    return 'Its content file in the backup folder leads outside the backup (through a symlinked file or folder), and links are never followed inside a backup.';
  }
  // Our own errors (a key that does not unwrap, bad padding) already are one sentence.
  if (err instanceof DeviceToolError) return `It could not be read: ${trimPeriod(err.message)}.`;
  return `It could not be read because ${fileSystemErrorReason(err)}.`;
}

function rowKindText(flags: number): string {
  if (flags === MANIFEST_FLAGS.directory) return 'a folder';
  if (flags === MANIFEST_FLAGS.symlink) return 'a symlink';
  return `an item of unknown kind (flags ${flags})`;
}

function trimPeriod(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/** Throws CancelledError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('Reading the management state');
}
