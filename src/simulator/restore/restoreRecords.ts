import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../common/logger';
import type { DatasetSpec } from '../scenario';
import type { ContentSummary } from './contentDigest';
import type { StoredEntry } from './storedContent';

/** The device facts a restore changes (the MDM vendor's document: supervision and MDM follow the backup; the name comes with the settings). */
export interface RestoredFacts {
  name: string;
  supervised: boolean;
  mdm: 'enrolled' | 'none';
}

/** The scenario values a restore was made over; when the scenario changes them, the restore is forgotten. */
export interface ScenarioBase {
  name: string;
  supervised: boolean;
  mdm: 'enrolled' | 'none';
  dataset: DatasetSpec;
}

/** One restore as the device keeps it: what it holds now, or what waits in staging for the next restart. */
export interface RestoreRecord {
  version: 1;
  base: ScenarioBase;
  facts: RestoredFacts;
  /** UDID of the device the backup was made on. */
  restoredFrom: string;
  /** ISO date of the restore. */
  restoredAt: string;
  /** Folder of the content files, relative to the restore root. */
  folder: string;
  summary: ContentSummary;
  entries: StoredEntry[];
}

const CURRENT_FILE = 'content.json';
const PENDING_FILE = 'pending.json';
/** The record is the simulator's own, but a file this large is not one it wrote. */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;
/** Folder names a record may point at (relative to the restore root). */
const RECORD_FOLDER = /^(content-[0-9a-f-]{36}|staging-[0-9a-f-]{36}\/files)$/;
const FILE_ID = /^[0-9a-f]{40}$/;

/**
 * The device's restore records in `<stateDir>/devices/<udid>/restore/`: `content.json` (the restore
 * the device holds, its content files in `content-<uuid>/`) and `pending.json` (a restore staged in
 * `staging-<uuid>/files/` that moves into place at the next restart, like /var/.backup.i). Records
 * are written atomically; an unreadable one counts as absent.
 */
export class RestoreRecordStore {
  constructor(
    /** Absolute restore root of the device. */
    readonly root: string,
    private readonly log: Logger,
  ) {}

  /** The restore the device holds now. */
  readCurrent(): RestoreRecord | undefined {
    return this.read(CURRENT_FILE);
  }

  /** The restore waiting for a restart. */
  readPending(): RestoreRecord | undefined {
    return this.read(PENDING_FILE);
  }

  /** Records a staged restore that moves into place at the next restart. */
  writePending(record: RestoreRecord): void {
    this.write(PENDING_FILE, record);
  }

  /**
   * Moves a pending restore into place: its staged files become the content folder, the record
   * becomes current, and the previous content and the staging leftovers are deleted.
   */
  applyPending(pending: RestoreRecord): RestoreRecord {
    const previous = this.readCurrent();
    const folder = `content-${randomUUID()}`;
    renameSync(this.absolute(pending.folder), this.absolute(folder));
    const current: RestoreRecord = { ...pending, folder };
    this.write(CURRENT_FILE, current);
    rmSync(path.join(this.root, PENDING_FILE), { force: true });
    rmSync(this.absolute(pending.folder.split('/')[0]), { recursive: true, force: true });
    if (previous && previous.folder !== folder) rmSync(this.absolute(previous.folder), { recursive: true, force: true });
    return current;
  }

  /** Drops a staged restore without applying it. */
  discardPending(pending: RestoreRecord): void {
    rmSync(path.join(this.root, PENDING_FILE), { force: true });
    rmSync(this.absolute(pending.folder.split('/')[0]), { recursive: true, force: true });
  }

  /** Forgets every restore: records, content and staging folders (the scenario set the device up afresh). */
  discardAll(): void {
    rmSync(path.join(this.root, CURRENT_FILE), { force: true });
    rmSync(path.join(this.root, PENDING_FILE), { force: true });
    if (!existsSync(this.root)) return;
    // Only what restores made: other records in the folder (the device's backups) stay.
    for (const name of readdirSync(this.root)) {
      if (name.startsWith('content-') || name.startsWith('staging-')) rmSync(path.join(this.root, name), { recursive: true, force: true });
    }
  }

  /** Deletes staging folders no pending record points at (restores cut short by a crash). */
  removeStrayStaging(keep: string | undefined): void {
    if (!existsSync(this.root)) return;
    for (const name of readdirSync(this.root)) {
      if (name.startsWith('staging-') && name !== keep) rmSync(path.join(this.root, name), { recursive: true, force: true });
    }
  }

  /** Absolute path of a folder a record names. */
  absolute(folder: string): string {
    if (!RECORD_FOLDER.test(folder) && !/^staging-[0-9a-f-]{36}$/.test(folder)) throw new RangeError(`"${folder.slice(0, 80)}" is not a restore folder.`);
    return path.join(this.root, folder);
  }

  private read(file: string): RestoreRecord | undefined {
    let text: string;
    try {
      const bytes = readFileSync(path.join(this.root, file));
      if (bytes.length > MAX_RECORD_BYTES) throw new Error('the record is too large');
      text = bytes.toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('restore record unreadable; ignored', { file, reason: (err as Error).message });
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRestoreRecord(parsed)) return parsed;
      this.log.warn('restore record has an unexpected shape; ignored', { file });
    } catch (err) {
      this.log.warn('restore record is not valid JSON; ignored', { file, reason: (err as Error).message });
    }
    return undefined;
  }

  private write(file: string, record: RestoreRecord): void {
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    const target = path.join(this.root, file);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record), { mode: 0o600 });
    renameSync(tmp, target);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isMdm = (v: unknown): v is 'enrolled' | 'none' => v === 'enrolled' || v === 'none';

function isFacts(v: unknown): v is RestoredFacts {
  return isObject(v) && typeof v.name === 'string' && typeof v.supervised === 'boolean' && isMdm(v.mdm);
}

function isBase(v: unknown): boolean {
  if (!isFacts(v)) return false;
  const dataset = (v as unknown as Record<string, unknown>).dataset;
  return isObject(dataset) && isCount(dataset.files) && isCount(dataset.totalBytes) && isCount(dataset.seed) && isCount(dataset.generation);
}

function isEntry(v: unknown): v is StoredEntry {
  if (!isObject(v)) return false;
  const numbers = [v.size, v.mode, v.inode, v.birth, v.lastModified, v.protectionClass, v.contentVersion];
  return (
    typeof v.domain === 'string' &&
    typeof v.relativePath === 'string' &&
    typeof v.fileID === 'string' &&
    FILE_ID.test(v.fileID) &&
    (v.kind === 'file' || v.kind === 'directory') &&
    numbers.every((n) => typeof n === 'number' && Number.isSafeInteger(n)) &&
    (v.sha256 === undefined || (typeof v.sha256 === 'string' && /^[0-9a-f]{64}$/.test(v.sha256)))
  );
}

function isRestoreRecord(v: unknown): v is RestoreRecord {
  if (!isObject(v) || v.version !== 1) return false;
  const summary = v.summary;
  return (
    isBase(v.base) &&
    isFacts(v.facts) &&
    typeof v.restoredFrom === 'string' &&
    typeof v.restoredAt === 'string' &&
    typeof v.folder === 'string' &&
    RECORD_FOLDER.test(v.folder) &&
    isObject(summary) &&
    typeof summary.digest === 'string' &&
    isCount(summary.fileCount) &&
    isCount(summary.byteCount) &&
    Array.isArray(v.entries) &&
    v.entries.every(isEntry)
  );
}
