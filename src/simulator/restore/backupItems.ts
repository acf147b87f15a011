import { computeFileId, isFileId } from '../../backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb } from '../../backup/format/manifestDb';
import { decodeMbFile, mbFileKindFromMode, type MbFileRecord } from '../../backup/format/mbFile';
import { malformedEntryFailure, RestoreFailure, unreadablePropertiesFailure } from './restoreFailures';

/** One file or directory of the backup, as the device will restore it. */
export interface BackupItem {
  domain: string;
  /** Path inside the domain; "" for the domain's root directory. */
  relativePath: string;
  /** The device's own fileID (SHA-1 of domain-path): names the staged content. */
  fileID: string;
  /** The fileID under which the host keeps the content (`<SourceUDID>/xx/<hostFileID>`). */
  hostFileID: string;
  kind: 'file' | 'directory';
  size: number;
  mode: number;
  inode: number | undefined;
  birth: number;
  lastModified: number;
  protectionClass: number;
  /** Encrypted backups: 4-byte class + wrapped file key. */
  encryptionKey: Buffer | undefined;
}

/** What reading Manifest.db found. */
export interface BackupInventory {
  items: BackupItem[];
  /** Rows the device does not restore (symlinks, other kinds), counted for the log. */
  skipped: number;
}

/** More rows than any device holds: the database is refused rather than walked forever. */
const MAX_ROWS = 2_000_000;
/** Longest domain and path the device accepts (real ones are far shorter). */
const MAX_DOMAIN_LENGTH = 512;
const MAX_PATH_BYTES = 4096;
/** Largest single file the device accepts from a backup (1 TiB). */
const MAX_FILE_BYTES = 2 ** 40;

/**
 * Reads the backup's Manifest.db (already decrypted) into the items to restore. The database is the
 * host's, so it is untrusted: a domain with a slash is refused with the real device's 205 text, a
 * path that climbs out of its domain, an unreadable MBFile, a duplicate or an absurd size with 205;
 * symlinks are skipped. Nothing here becomes a device path: content is named by the device's own
 * fileID.
 */
export async function readBackupInventory(manifestDb: Buffer): Promise<BackupInventory> {
  let db: ManifestDb;
  try {
    db = await ManifestDb.open(manifestDb, { origin: 'the backup sent by the host' });
  } catch (err) {
    throw unreadablePropertiesFailure('Manifest.db', (err as Error).message);
  }
  try {
    if ((await db.count()) > MAX_ROWS) throw unreadablePropertiesFailure('Manifest.db', `it lists more than ${MAX_ROWS} items`);
    const items: BackupItem[] = [];
    const seen = new Set<string>();
    let skipped = 0;
    for await (const row of db.iterateEntries()) {
      checkDomain(row.domain);
      checkRelativePath(row.domain, row.relativePath);
      const record = decodeRecord(row.domain, row.relativePath, row.file);
      const kind = itemKind(row.flags, record);
      if (kind === undefined) {
        skipped++;
        continue;
      }
      const fileID = computeFileId(row.domain, row.relativePath);
      if (seen.has(fileID)) throw malformedEntryFailure('Multiple entries for the same file', `${row.domain}-${row.relativePath}`);
      seen.add(fileID);
      if (!Number.isSafeInteger(record.size) || record.size < 0 || record.size > MAX_FILE_BYTES) {
        throw malformedEntryFailure('Invalid file size', `${row.domain}-${row.relativePath}`);
      }
      items.push({
        domain: row.domain,
        relativePath: row.relativePath,
        fileID,
        hostFileID: isFileId(row.fileID) ? row.fileID.toLowerCase() : fileID,
        kind,
        size: kind === 'file' ? record.size : 0,
        mode: record.mode,
        inode: record.inodeNumber,
        birth: record.birth ?? 0,
        lastModified: record.lastModified ?? 0,
        protectionClass: record.protectionClass ?? 0,
        encryptionKey: record.encryptionKey,
      });
    }
    return { items, skipped };
  } catch (err) {
    if (err instanceof RestoreFailure) throw err;
    throw unreadablePropertiesFailure('Manifest.db', (err as Error).message);
  } finally {
    db.close();
  }
}

function checkDomain(domain: string): void {
  if (domain.includes('/')) throw malformedEntryFailure('Domain name cannot contain a slash', domain.slice(0, 200));
  if (domain.length === 0 || domain.length > MAX_DOMAIN_LENGTH || /[\u0000-\u001f]/.test(domain)) {
    throw malformedEntryFailure('Invalid domain name', domain.slice(0, 200));
  }
}

function checkRelativePath(domain: string, relativePath: string): void {
  const bad =
    relativePath.startsWith('/') ||
    relativePath.includes('\0') ||
    Buffer.byteLength(relativePath, 'utf8') > MAX_PATH_BYTES ||
    (relativePath !== '' && relativePath.split('/').some((part) => part === '' || part === '.' || part === '..'));
  if (bad) throw malformedEntryFailure('Invalid relative path', `${domain}-${relativePath.slice(0, 200)}`);
}

function decodeRecord(domain: string, relativePath: string, blob: Buffer | undefined): MbFileRecord {
  if (!blob) throw malformedEntryFailure('Missing file properties', `${domain}-${relativePath.slice(0, 200)}`);
  try {
    return decodeMbFile(blob);
  } catch (err) {
    throw malformedEntryFailure(`Error deserializing file properties: ${(err as Error).message}`, `${domain}-${relativePath.slice(0, 200)}`);
  }
}

/** Files and directories are restored; the mode decides, the row's flags break a tie. */
function itemKind(flags: number, record: MbFileRecord): 'file' | 'directory' | undefined {
  const kind = mbFileKindFromMode(record.mode);
  if (kind === 'file' || kind === 'directory') return kind;
  if (kind === 'other' && flags === MANIFEST_FLAGS.file) return 'file';
  if (kind === 'other' && flags === MANIFEST_FLAGS.directory) return 'directory';
  return undefined;
}
