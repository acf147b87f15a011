import { promises as fs, lstatSync, mkdirSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { IN_PROGRESS_MARKER } from '../format/backupFolder';
import { UnsafePathError } from '../format/formatErrors';
import { resolveInside, splitRelativePath } from '../format/safePath';
import { foldedPathKey } from './foldedPath';
import { quickFileCalls } from './quickFileCalls';

/** A device-named path after checking, with where it lands on disk. */
export interface MappedPath {
  /** Absolute path inside the mapped folder. */
  absolute: string;
  /** True when the path names the backup folder itself (`<UDID>`). */
  isBackupFolder: boolean;
  /** Whether something was at the path when it was checked; undefined when that was not looked at. */
  exists?: boolean;
}

/**
 * Checked folders remembered at most; past it the memory starts over. A backup has a few hundred folders,
 * a device naming millions of made-up ones must not grow the host's memory with them.
 */
const MAX_REMEMBERED_FOLDERS = 20_000;

/** Longest device path looked at; a backup's own paths are under 200 characters, file systems stop near 4096. */
const MAX_DEVICE_PATH_LENGTH = 4096;

// Our marker is compared folded: on macOS and Windows ".IOSBR-IN-PROGRESS" opens the same file.
const RESERVED_NAME_KEY = foldedPathKey(IN_PROGRESS_MARKER);

/**
 * Maps the paths a device names in DeviceLink requests (`<UDID>/…`, relative to the backup root) to
 * the folder being written (a backup's staging folder) or read (the backup a restore sends). The
 * device is untrusted: a path must pass splitRelativePath (no "..", not absolute, no NUL, no Windows
 * tricks), must start with this device's UDID folder, must not name our in-progress marker, and no
 * component below the folder may be a symlink, wherever it points: the device never needs one, and
 * without symlinks a path checked by its text alone cannot lead outside. Anything else raises
 * UnsafePathError before a byte is read or written.
 */
export class DevicePathMapper {
  /**
   * Folders (by their segments below the mapped folder) whose every component was seen not to be a
   * symlink (or not to exist yet), with their absolute path. A move, removal or copy can put a
   * different entry at a remembered path, so whoever makes one calls forgetVerifiedFolders() after it.
   */
  private readonly checkedFolders = new Map<string, string>();
  /** Checked folders that were also created for files the device uploads. */
  private readonly createdFolders = new Set<string>();

  constructor(
    readonly root: string,
    readonly udid: string,
    readonly stagingDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Checks a device path and returns where it lands in the mapped folder. */
  async map(devicePath: string): Promise<MappedPath> {
    const segments = this.insideUdidFolder(devicePath);
    if (segments.length === 0) return { absolute: await this.checkedFolder([], devicePath), isBackupFolder: true };
    const absolute = path.join(await this.checkedFolder(segments.slice(0, -1), devicePath), segments[segments.length - 1]);
    // The last component is looked at on every call: it is what requests change.
    const leaf = await this.lstatIfPresent(absolute);
    if (leaf?.isSymbolicLink()) throw this.symlinkRefusal(devicePath, absolute);
    return { absolute, isBackupFolder: false, exists: leaf !== undefined };
  }

  /**
   * Like map(), for a file the device is about to upload: its folder is checked and created once and
   * remembered, so thousands of small files cost one check per folder. The file itself must then be
   * created with O_EXCL (it never follows a symlink in the last component).
   */
  async mapNewFile(devicePath: string): Promise<MappedPath> {
    const segments = this.insideUdidFolder(devicePath);
    if (segments.length === 0) return { absolute: await this.checkedFolder([], devicePath), isBackupFolder: true };
    const folderSegments = segments.slice(0, -1);
    const folder = await this.checkedFolder(folderSegments, devicePath);
    const key = folderSegments.join('/');
    if (!this.createdFolders.has(key)) {
      // Checked before it is created: mkdir through a symlink would already have written outside.
      await quickFileCalls.run(
        () => mkdirSync(folder, { recursive: true }),
        () => fs.mkdir(folder, { recursive: true }),
      );
      this.createdFolders.add(key);
    }
    return { absolute: path.join(folder, segments[segments.length - 1]), isBackupFolder: false };
  }

  /** Forgets the checked folders: after the device moved, removed or copied items the tree may differ. */
  forgetVerifiedFolders(): void {
    this.checkedFolders.clear();
    this.createdFolders.clear();
  }

  /** The absolute path of a folder below the mapped one, each component checked (once) not to be a symlink. */
  private async checkedFolder(segments: readonly string[], devicePath: string): Promise<string> {
    // Down from the deepest folder already checked, one component at a time.
    let depth = segments.length;
    while (depth > 0 && !this.checkedFolders.has(segments.slice(0, depth).join('/'))) depth--;
    let folder = this.checkedFolders.get(segments.slice(0, depth).join('/'));
    if (folder === undefined) {
      // The mapped folder itself may sit behind a symlink the person chose (a backup root on another disk).
      folder = await resolveInside(this.stagingDir, '', { platform: this.platform });
      this.remember('', folder);
    }
    for (; depth < segments.length; depth++) {
      folder = path.join(folder, segments[depth]);
      const stats = await this.lstatIfPresent(folder);
      if (stats?.isSymbolicLink()) throw this.symlinkRefusal(devicePath, folder);
      this.remember(segments.slice(0, depth + 1).join('/'), folder);
    }
    return folder;
  }

  private remember(key: string, folder: string): void {
    if (this.checkedFolders.size >= MAX_REMEMBERED_FOLDERS) this.forgetVerifiedFolders();
    this.checkedFolders.set(key, folder);
  }

  /** The entry's lstat, or undefined when nothing is there (or a component on the way is a file). */
  private async lstatIfPresent(absolute: string): Promise<Stats | undefined> {
    const absent = (err: unknown): undefined => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw err;
    };
    return quickFileCalls.run(
      () => {
        try {
          // No exception (and no stack trace to build) for the usual answer, "nothing there".
          return lstatSync(absolute, { throwIfNoEntry: false });
        } catch (err) {
          return absent(err);
        }
      },
      () => fs.lstat(absolute).catch(absent),
    );
  }

  private symlinkRefusal(devicePath: string, at: string): UnsafePathError {
    return new UnsafePathError(
      `Refused the path "${printable(devicePath)}" because it goes through a symlink (${at}), which a device path never follows; every path must stay inside ${path.join(this.root, this.udid)}.`,
      devicePath,
      this.root,
    );
  }

  /** The segments of a device path below its `<UDID>` folder, or UnsafePathError. */
  private insideUdidFolder(devicePath: string): string[] {
    if (devicePath.length > MAX_DEVICE_PATH_LENGTH) {
      throw new UnsafePathError(
        `Refused a device path of ${devicePath.length} characters because no path in a backup is longer than ${MAX_DEVICE_PATH_LENGTH}.`,
        devicePath.slice(0, 256),
        this.root,
      );
    }
    const segments = splitRelativePath(this.root, devicePath, this.platform);
    // UDIDs are hex; devices and hosts differ in case, so the folder name is compared case-insensitively.
    if (segments.length === 0 || segments[0].toLowerCase() !== this.udid.toLowerCase()) {
      throw new UnsafePathError(
        `Refused the path "${printable(devicePath)}" because it is outside the backup folder of ${this.udid}; every path must stay inside ${path.join(this.root, this.udid)}.`,
        devicePath,
        this.root,
      );
    }
    const below = segments.slice(1);
    // The marker says a backup is unfinished; a device that could delete or overwrite it could make one look complete.
    if (below.some((segment) => foldedPathKey(segment) === RESERVED_NAME_KEY)) {
      throw new UnsafePathError(
        `Refused the path "${printable(devicePath)}" because ${IN_PROGRESS_MARKER} is reserved for this app's own record of an unfinished backup.`,
        devicePath,
        this.root,
      );
    }
    return below;
  }
}

// Control characters would garble the one-line error message.
function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
