import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { isInsideFolder } from '../../backup/format/safePath';

/** The backup's metadata files the device downloads before anything else, in the order real devices ask for them. */
export const RESTORE_METADATA_FILES = ['Status.plist', 'Manifest.plist', 'Manifest.db', 'Info.plist'] as const;

/** One of those metadata files. */
export type RestoreMetadataFile = (typeof RESTORE_METADATA_FILES)[number];

/** Content files are named by the device's own fileID (SHA-1 hex of domain-path), never by a host-sent name. */
const CONTENT_NAME = /^[0-9a-f]{40}$/;

/**
 * The simulated `/var/.backup.i`: one restore's staging folder in the state dir,
 * `<restoreRoot>/staging-<uuid>/` with `meta/` (the downloaded metadata) and `files/xx/<fileID>`
 * (content, decrypted). Every path is built from fixed names or validated hex, and checked to stay
 * inside the folder, so nothing the host sends can place a byte elsewhere.
 */
export class RestoreStaging {
  private readonly createdFolders = new Set<string>();

  private constructor(
    readonly restoreRoot: string,
    /** `staging-<uuid>`, relative to the restore root. */
    readonly name: string,
  ) {}

  /** Creates a fresh staging folder under the device's restore root. */
  static create(restoreRoot: string): RestoreStaging {
    const staging = new RestoreStaging(restoreRoot, `staging-${randomUUID()}`);
    mkdirSync(path.join(staging.dir, 'meta'), { recursive: true, mode: 0o700 });
    mkdirSync(path.join(staging.dir, 'files'), { recursive: true, mode: 0o700 });
    return staging;
  }

  /** The staging folder's absolute path. */
  get dir(): string {
    return path.join(this.restoreRoot, this.name);
  }

  /** Where the content files are, relative to the restore root (what a restore record names). */
  get filesFolder(): string {
    return `${this.name}/files`;
  }

  /** Where a downloaded metadata file is kept. */
  metadataPath(file: RestoreMetadataFile): string {
    return this.confined(path.join(this.dir, 'meta', file));
  }

  /** Where a content file is kept (its two-character folder is created on first use). */
  contentPath(fileID: string): string {
    if (!CONTENT_NAME.test(fileID)) throw new RangeError(`"${fileID.slice(0, 64)}" is not a content file name.`);
    const folder = this.confined(path.join(this.dir, 'files', fileID.slice(0, 2)));
    if (!this.createdFolders.has(folder)) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      this.createdFolders.add(folder);
    }
    return path.join(folder, fileID);
  }

  /** Deletes the staging folder and everything in it (a failed or abandoned restore leaves the device unchanged). */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private confined(candidate: string): string {
    if (!isInsideFolder(this.dir, candidate)) throw new RangeError('A staging path left the staging folder.');
    return candidate;
  }
}
