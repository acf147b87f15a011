import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UnsafePathError } from '../format/formatErrors';
import { resolveInside, splitRelativePath } from '../format/safePath';

/** A device-named path after checking, with where it lands on disk. */
export interface MappedPath {
  /** Absolute path inside the staging folder. */
  absolute: string;
  /** True when the path names the backup folder itself (`<UDID>`). */
  isBackupFolder: boolean;
  /** Whether something was at the path when it was checked; undefined when that was not looked at. */
  exists?: boolean;
}

/**
 * Maps the paths a device names in DeviceLink requests (`<UDID>/…`, relative to the backup root) to
 * the staging folder of the running backup. The device is untrusted: a path must pass
 * splitRelativePath (no "..", not absolute, no NUL, no Windows tricks), must start with this
 * device's UDID folder, and must not leave the staging folder through a symlink (resolveInside).
 * Anything else raises UnsafePathError before a byte is read or written.
 */
export class DevicePathMapper {
  /** Folders of the staging tree already checked (and created) for files the device uploads. */
  private readonly verifiedFolders = new Map<string, string>();
  /**
   * Folders whose path was checked to resolve inside the staging folder (they need not exist). The check
   * stays true while the backup runs: the staging tree is built without symlinks (hardLinkTree leaves them
   * out) and nothing the device asks for creates one (uploads are O_EXCL files; mkdir, move and copy work
   * on checked paths), so a move can change what a folder holds but never make its path lead outside.
   * Only the last component is looked at again for every path, which keeps a move of thousands of
   * files at one lstat per path instead of a realpath walk.
   */
  private readonly confinedFolders = new Map<string, string>();

  constructor(
    readonly root: string,
    readonly udid: string,
    readonly stagingDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Checks a device path and returns where it lands in the staging folder. */
  async map(devicePath: string): Promise<MappedPath> {
    const segments = this.insideUdidFolder(devicePath);
    const rest = segments.join('/');
    if (segments.length === 0) return { absolute: await resolveInside(this.stagingDir, '', { platform: this.platform }), isBackupFolder: true };
    const folderKey = segments.slice(0, -1).join('/');
    let folder = this.confinedFolders.get(folderKey);
    if (folder === undefined) {
      folder = await resolveInside(this.stagingDir, folderKey, { platform: this.platform });
      this.confinedFolders.set(folderKey, folder);
    }
    const absolute = path.join(folder, segments[segments.length - 1]);
    const leaf = await fs.lstat(absolute).catch((err: NodeJS.ErrnoException) => {
      // Not there (yet): nothing on the way can lead outside, the folder was checked.
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      throw err;
    });
    // A symlink as the last component gets the full check (which refuses one that leads outside).
    if (leaf?.isSymbolicLink()) return { absolute: await resolveInside(this.stagingDir, rest, { platform: this.platform }), isBackupFolder: false };
    return { absolute, isBackupFolder: false, exists: leaf !== undefined };
  }

  /**
   * Like map(), for a file the device is about to upload: its folder is checked and created once and
   * remembered, so thousands of small files cost one check per folder. The file itself must then be
   * created with O_EXCL (it never follows a symlink in the last component).
   */
  async mapNewFile(devicePath: string): Promise<MappedPath> {
    const segments = this.insideUdidFolder(devicePath);
    if (segments.length === 0) return { absolute: await resolveInside(this.stagingDir, '', { platform: this.platform }), isBackupFolder: true };
    const folderKey = segments.slice(0, -1).join('/');
    let folder = this.verifiedFolders.get(folderKey);
    if (folder === undefined) {
      // Checked before it is created: mkdir through a symlink would already have written outside.
      folder = await resolveInside(this.stagingDir, folderKey, { platform: this.platform });
      await fs.mkdir(folder, { recursive: true });
      this.verifiedFolders.set(folderKey, folder);
    }
    return { absolute: path.join(folder, segments[segments.length - 1]), isBackupFolder: false };
  }

  /** Forgets the checked folders: after the device moved, removed or copied items the tree may differ. */
  forgetVerifiedFolders(): void {
    this.verifiedFolders.clear();
  }

  /** The segments of a device path below its `<UDID>` folder, or UnsafePathError. */
  private insideUdidFolder(devicePath: string): string[] {
    const segments = splitRelativePath(this.root, devicePath, this.platform);
    // UDIDs are hex; devices and hosts differ in case, so the folder name is compared case-insensitively.
    if (segments.length === 0 || segments[0].toLowerCase() !== this.udid.toLowerCase()) {
      throw new UnsafePathError(
        `Refused the path "${printable(devicePath)}" because it is outside the backup folder of ${this.udid}; every path must stay inside ${path.join(this.root, this.udid)}.`,
        devicePath,
        this.root,
      );
    }
    return segments.slice(1);
  }
}

// Control characters would garble the one-line error message.
function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
