import { AFC_STATUS, type AfcStatus } from '../services/afcStatus';

/** One item of the media partition. */
export interface MediaNode {
  kind: 'file' | 'directory';
  /** File content (files only). */
  data: Buffer;
  children: Map<string, MediaNode>;
  /** Nanoseconds since 1970, as AFC reports them. */
  modifiedNs: bigint;
  birthNs: bigint;
}

/** Who holds a lock: one open file handle (any AFC connection). */
export type LockOwner = object;

/** Limits that keep hosts from filling the simulator's memory through AFC. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const MAX_NODES = 10_000;

/** The folders a real device's media partition (/private/var/mobile/Media) shows over AFC. */
const STANDARD_FOLDERS = ['Books', 'DCIM', 'Downloads', 'iTunes_Control', 'iTunes_Control/iTunes', 'PhotoData', 'Photos', 'Purchases', 'Recordings'];

/** The file iTunes-style hosts lock to hold the sync lock (docs/protocol/mobilebackup2.md#sync-lock). */
export const SYNC_LOCK_FILE = '/com.apple.itunes.lock_sync';

/**
 * The media partition a simulated device exposes through com.apple.afc: a small in-memory tree
 * with byte caps, plus flock-style advisory locks shared by every AFC connection of the device
 * (which is what makes the sync lock exclusive between hosts).
 */
export class MediaFileSystem {
  private readonly root: MediaNode = newNode('directory');
  private readonly locks = new Map<MediaNode, { exclusive: boolean; owners: Set<LockOwner> }>();
  private totalBytes = 0;
  private nodeCount = 1;

  constructor() {
    for (const folder of STANDARD_FOLDERS) this.makeDirectory(folder);
    this.createFile(SYNC_LOCK_FILE);
  }

  /** The node at a path, if any. */
  lookup(path: string): MediaNode | undefined {
    let node: MediaNode | undefined = this.root;
    for (const name of segments(path)) {
      node = node.kind === 'directory' ? node.children.get(name) : undefined;
      if (!node) return undefined;
    }
    return node;
  }

  /** Entry names of a directory (without "." and ".."), or the status explaining why not. */
  list(path: string): string[] | AfcStatus {
    const node = this.lookup(path);
    if (!node) return AFC_STATUS.ObjectNotFound;
    if (node.kind !== 'directory') return AFC_STATUS.InvalidArg;
    return [...node.children.keys()].sort();
  }

  /** mkdir -p; an existing directory is success. */
  makeDirectory(path: string): AfcStatus {
    let node = this.root;
    for (const name of segments(path)) {
      let child = node.children.get(name);
      if (!child) {
        if (this.nodeCount >= MAX_NODES) return AFC_STATUS.NoSpaceLeft;
        child = newNode('directory');
        node.children.set(name, child);
        this.nodeCount++;
        node.modifiedNs = nowNs();
      }
      if (child.kind !== 'directory') return AFC_STATUS.ObjectExists;
      node = child;
    }
    return AFC_STATUS.Success;
  }

  /** Creates an empty file if none exists (the parent must exist); returns the file or a status. */
  createFile(path: string): MediaNode | AfcStatus {
    const names = segments(path);
    const name = names.pop();
    if (name === undefined) return AFC_STATUS.ObjectIsDir;
    const parent = this.lookup(names.join('/'));
    if (!parent || parent.kind !== 'directory') return AFC_STATUS.ObjectNotFound;
    const existing = parent.children.get(name);
    if (existing) return existing.kind === 'file' ? existing : AFC_STATUS.ObjectIsDir;
    if (this.nodeCount >= MAX_NODES) return AFC_STATUS.NoSpaceLeft;
    const file = newNode('file');
    parent.children.set(name, file);
    this.nodeCount++;
    parent.modifiedNs = nowNs();
    return file;
  }

  /** Removes a file or an empty directory (or, with `recursive`, a whole tree). */
  remove(path: string, recursive: boolean): AfcStatus {
    const names = segments(path);
    const name = names.pop();
    if (name === undefined) return AFC_STATUS.PermissionDenied;
    const parent = this.lookup(names.join('/'));
    const node = parent?.children.get(name);
    if (!parent || !node) return AFC_STATUS.ObjectNotFound;
    if (node.kind === 'directory' && node.children.size > 0 && !recursive) return AFC_STATUS.DirNotEmpty;
    parent.children.delete(name);
    parent.modifiedNs = nowNs();
    this.forget(node);
    return AFC_STATUS.Success;
  }

  /** Renames a file or directory, replacing a destination file. */
  rename(from: string, to: string): AfcStatus {
    const fromNames = segments(from);
    const toNames = segments(to);
    const fromName = fromNames.pop();
    const toName = toNames.pop();
    if (fromName === undefined || toName === undefined) return AFC_STATUS.InvalidArg;
    const fromParent = this.lookup(fromNames.join('/'));
    const toParent = this.lookup(toNames.join('/'));
    const node = fromParent?.children.get(fromName);
    if (!fromParent || !node) return AFC_STATUS.ObjectNotFound;
    if (!toParent || toParent.kind !== 'directory') return AFC_STATUS.ObjectNotFound;
    if (node.kind === 'directory' && isInside(node, toParent)) return AFC_STATUS.InvalidArg;
    const replaced = toParent.children.get(toName);
    if (replaced && replaced !== node) {
      if (replaced.kind === 'directory') return AFC_STATUS.ObjectExists;
      this.forget(replaced);
    }
    fromParent.children.delete(fromName);
    toParent.children.set(toName, node);
    fromParent.modifiedNs = toParent.modifiedNs = nowNs();
    return AFC_STATUS.Success;
  }

  /** Writes bytes at a position, growing the file; refused past the size caps. */
  write(file: MediaNode, position: number, bytes: Buffer): AfcStatus {
    const end = position + bytes.length;
    const grow = Math.max(0, end - file.data.length);
    if (end > MAX_FILE_BYTES || this.totalBytes + grow > MAX_TOTAL_BYTES) return AFC_STATUS.NoSpaceLeft;
    if (grow > 0) file.data = Buffer.concat([file.data, Buffer.alloc(grow)]);
    bytes.copy(file.data, position);
    this.totalBytes += grow;
    file.modifiedNs = nowNs();
    return AFC_STATUS.Success;
  }

  /** Truncates or extends a file to `size` bytes. */
  setSize(file: MediaNode, size: number): AfcStatus {
    if (size > MAX_FILE_BYTES || this.totalBytes + Math.max(0, size - file.data.length) > MAX_TOTAL_BYTES) return AFC_STATUS.NoSpaceLeft;
    this.totalBytes += size - file.data.length;
    file.data = size <= file.data.length ? Buffer.from(file.data.subarray(0, size)) : Buffer.concat([file.data, Buffer.alloc(size - file.data.length)]);
    file.modifiedNs = nowNs();
    return AFC_STATUS.Success;
  }

  /** Bytes the partition holds and may still take. */
  usage(): { usedBytes: number; capacityBytes: number } {
    return { usedBytes: this.totalBytes, capacityBytes: MAX_TOTAL_BYTES };
  }

  /**
   * flock(2) without blocking: `exclusive` or shared lock for `owner`, or unlock when `exclusive`
   * is undefined. A conflicting lock held by another owner answers OpWouldBlock.
   */
  lock(file: MediaNode, owner: LockOwner, exclusive: boolean | undefined): AfcStatus {
    const held = this.locks.get(file);
    if (exclusive === undefined) {
      held?.owners.delete(owner);
      if (held && held.owners.size === 0) this.locks.delete(file);
      return AFC_STATUS.Success;
    }
    const others = held ? [...held.owners].filter((o) => o !== owner) : [];
    if (others.length > 0 && (exclusive || held?.exclusive)) return AFC_STATUS.OpWouldBlock;
    const owners = new Set(others);
    owners.add(owner);
    this.locks.set(file, { exclusive, owners });
    return AFC_STATUS.Success;
  }

  /** Drops every lock an owner holds (its handle was closed or its connection ended). */
  releaseLocks(owner: LockOwner): void {
    for (const [file, held] of this.locks) {
      held.owners.delete(owner);
      if (held.owners.size === 0) this.locks.delete(file);
    }
  }

  private forget(node: MediaNode): void {
    this.nodeCount--;
    this.totalBytes -= node.data.length;
    this.locks.delete(node);
    for (const child of node.children.values()) this.forget(child);
  }
}

function newNode(kind: MediaNode['kind']): MediaNode {
  const now = nowNs();
  return { kind, data: Buffer.alloc(0), children: new Map(), modifiedNs: now, birthNs: now };
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Path segments under the partition root; ".." never climbs above it, as on the device. */
function segments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

function isInside(ancestor: MediaNode, node: MediaNode): boolean {
  if (ancestor === node) return true;
  for (const child of ancestor.children.values()) if (child.kind === 'directory' && isInside(child, node)) return true;
  return false;
}
