import { computeFileId } from '../../backup/format/fileId';
import { UNMANAGED_DEVICE, type ManagedDevice } from '../deviceManagement';
import type { DatasetSpec } from '../scenario';
import { CONFIGURATION_PROFILES_DOMAIN, configurationProfileStore, PROFILE_STORE_PROTECTION_CLASS, type ProfileStoreFile } from './configurationProfileStore';
import { CONTENT_CHUNK_BYTES, generateFileContent } from './contentStream';
import { ANCHOR_FILES, DOMAIN_PROFILES, LARGE_FILE_DOMAIN, LARGE_FILE_FOLDER, type DomainProfile } from './domainCatalog';
import { contentVersions } from './generationChanges';
import { SeededRandom } from './seededRandom';
import { largeFileCount, planFileSizes } from './sizePlan';

/** POSIX mode of dataset files (regular file, rw-r--r--). */
export const DATASET_FILE_MODE = 0o100644;
/** POSIX mode of dataset directories (directory, rwxr-xr-x). */
export const DATASET_DIRECTORY_MODE = 0o040755;
/** Owner of every item: the "mobile" user and group. */
export const DATASET_OWNER_ID = 501;

// Unix seconds: originals are dated in 2023, changes made by generation g on day g after mid-2024.
const ORIGINAL_EPOCH = 1_672_531_200;
const CHANGE_EPOCH = 1_717_200_000;
const SECONDS_PER_DAY = 86_400;

/** One item of a simulated device's backup set. */
export interface DatasetEntry {
  domain: string;
  /** Path inside the domain; "" for the domain's root directory. */
  relativePath: string;
  fileID: string;
  kind: 'file' | 'directory';
  /** Bytes of content (0 for directories). */
  size: number;
  mode: number;
  inode: number;
  /** Unix seconds. */
  birth: number;
  /** Unix seconds; changes whenever the content changes. */
  lastModified: number;
  protectionClass: number;
  /** 0 for the original content, else the generation that last changed the file. */
  contentVersion: number;
}

/**
 * The deterministic file set of a simulated device, built from {files, totalBytes, seed,
 * generation} and its management state: metadata for every file and directory (held in memory,
 * small), content generated on demand as a stream (never held). The device's configuration-profile
 * store is part of it, within the same budget: `files` and `totalBytes` count everything the
 * device holds.
 */
export class SimulatedDataset {
  /** Files and directories, ordered by domain then path (directories before their contents). */
  readonly entries: readonly DatasetEntry[];
  /** The content of a file as chunks of at most `chunkBytes`, generated one at a time. */
  readonly content: (entry: DatasetEntry, chunkBytes?: number) => Generator<Buffer>;

  private constructor(
    readonly spec: DatasetSpec,
    entries: DatasetEntry[],
    /** The profile store's bytes by fileID (the other files' content is generated). */
    storeBytes: ReadonlyMap<string, Buffer>,
  ) {
    this.entries = entries;
    // A property, not a method with a private field behind it, so restored content (StoredContent) keeps the same shape.
    this.content = (entry, chunkBytes = CONTENT_CHUNK_BYTES) => {
      const bytes = entry.domain === CONFIGURATION_PROFILES_DOMAIN ? storeBytes.get(entry.fileID) : undefined;
      if (bytes) return chunksOf(bytes, chunkBytes);
      return generateFileContent({ seed: spec.seed, domain: entry.domain, relativePath: entry.relativePath, contentVersion: entry.contentVersion }, entry.size, chunkBytes);
    };
  }

  /**
   * Builds the dataset of a scenario's dataset spec for a device in this management state (an
   * unmanaged device unless told otherwise). A budget too small for the profile store and at
   * least one other file gives a device without a store, like a device that never finished Setup
   * Assistant.
   */
  static build(spec: DatasetSpec, management: ManagedDevice = UNMANAGED_DEVICE): SimulatedDataset {
    let store = configurationProfileStore(management);
    const storeBytes = store.reduce((sum, f) => sum + f.bytes.length, 0);
    if (spec.files <= store.length || spec.totalBytes < storeBytes) store = [];
    const ordinary = buildFiles({ ...spec, files: spec.files - store.length, totalBytes: spec.totalBytes - (store.length > 0 ? storeBytes : 0) });
    const files = [...ordinary, ...storeEntries(store, ordinary.length)];
    const entries = [...files, ...directoriesOf(files)];
    entries.sort((x, y) => (x.domain === y.domain ? compareText(x.relativePath, y.relativePath) : compareText(x.domain, y.domain)));
    let directoryInode = 2;
    for (const entry of entries) if (entry.kind === 'directory') entry.inode = directoryInode++;
    return new SimulatedDataset(spec, entries, new Map(store.map((f) => [computeFileId(CONFIGURATION_PROFILES_DOMAIN, f.relativePath), f.bytes])));
  }

  /** The regular files only. */
  files(): DatasetEntry[] {
    return this.entries.filter((e) => e.kind === 'file');
  }

  /** Sum of all file sizes (equals spec.totalBytes). */
  totalFileBytes(): number {
    return this.entries.reduce((sum, e) => sum + e.size, 0);
  }
}

function* chunksOf(bytes: Buffer, chunkBytes: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) yield bytes.subarray(offset, offset + chunkBytes);
}

/** The profile store's files as dataset entries (inodes after the ordinary files'). */
function storeEntries(store: readonly ProfileStoreFile[], firstIndex: number): DatasetEntry[] {
  return store.map((file, i) => ({
    domain: CONFIGURATION_PROFILES_DOMAIN,
    relativePath: file.relativePath,
    fileID: computeFileId(CONFIGURATION_PROFILES_DOMAIN, file.relativePath),
    kind: 'file',
    size: file.bytes.length,
    mode: DATASET_FILE_MODE,
    inode: 1_000_000 + firstIndex + i,
    birth: file.birth,
    lastModified: file.lastModified,
    protectionClass: PROFILE_STORE_PROTECTION_CLASS,
    contentVersion: 0,
  }));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The regular files: large videos first, then the anchors every backup has, then the ordinary ones. */
function buildFiles(spec: DatasetSpec): DatasetEntry[] {
  const count = spec.files;
  const sizes = planFileSizes(count, spec.totalBytes, spec.seed);
  const versions = contentVersions(spec.generation, count, spec.seed);
  const random = new SeededRandom(`iosbr-dataset-layout:${spec.seed}`);
  const large = largeFileCount(count);
  const totalWeight = DOMAIN_PROFILES.reduce((sum, p) => sum + p.weight, 0);
  const files: DatasetEntry[] = [];
  for (let index = 0; index < count; index++) {
    let domain: string;
    let relativePath: string;
    let protectionClass = 3;
    const anchor = ANCHOR_FILES[index - large];
    if (index < large) {
      domain = LARGE_FILE_DOMAIN;
      relativePath = `${LARGE_FILE_FOLDER}/IMG_${String(index + 1).padStart(4, '0')}.MOV`;
    } else if (anchor) {
      ({ domain, relativePath, protectionClass } = anchor);
    } else {
      const profile = pickProfile(random, totalWeight);
      const name = random.pick(profile.names);
      // The global index in the name keeps every path unique without remembering the ones used.
      relativePath = `${random.pick(profile.folders)}/${name.prefix}${String(index + 1).padStart(5, '0')}${name.extension}`;
      domain = profile.domain;
      protectionClass = profile.protectionClass;
    }
    const birth = ORIGINAL_EPOCH + random.int(300 * SECONDS_PER_DAY);
    // Drawn for every file, changed or not, so a generation bump leaves the other files' dates alone.
    const originalModified = birth + random.int(30 * SECONDS_PER_DAY);
    const version = versions[index];
    const lastModified = version === 0 ? originalModified : CHANGE_EPOCH + version * SECONDS_PER_DAY + (index % SECONDS_PER_DAY);
    files.push({
      domain,
      relativePath,
      fileID: computeFileId(domain, relativePath),
      kind: 'file',
      size: sizes[index],
      mode: DATASET_FILE_MODE,
      inode: 1_000_000 + index,
      birth,
      lastModified,
      protectionClass,
      contentVersion: version,
    });
  }
  return files;
}

function pickProfile(random: SeededRandom, totalWeight: number): DomainProfile {
  let ticket = random.next() * totalWeight;
  for (const profile of DOMAIN_PROFILES) {
    ticket -= profile.weight;
    if (ticket < 0) return profile;
  }
  return DOMAIN_PROFILES[DOMAIN_PROFILES.length - 1];
}

/** Every directory the files live in, plus each used domain's root (relativePath ""), as real manifests list them. */
function directoriesOf(files: readonly DatasetEntry[]): DatasetEntry[] {
  const seen = new Set<string>();
  const directories: DatasetEntry[] = [];
  const add = (domain: string, relativePath: string, birth: number): void => {
    const key = `${domain}-${relativePath}`;
    if (seen.has(key)) return;
    seen.add(key);
    directories.push({
      domain,
      relativePath,
      fileID: computeFileId(domain, relativePath),
      kind: 'directory',
      size: 0,
      mode: DATASET_DIRECTORY_MODE,
      inode: 0,
      birth,
      lastModified: birth,
      protectionClass: 0,
      contentVersion: 0,
    });
  };
  for (const file of files) {
    add(file.domain, '', ORIGINAL_EPOCH);
    const parts = file.relativePath.split('/');
    for (let depth = 1; depth < parts.length; depth++) add(file.domain, parts.slice(0, depth).join('/'), ORIGINAL_EPOCH);
  }
  return directories;
}
