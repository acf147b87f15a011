import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackupError } from '../../common/errors';
import { fileSystemErrorCode, fileSystemErrorReason } from '../../common/fileSystemErrorText';
import { UnsafePathError } from './formatErrors';

/** Options of {@link resolveInside}. */
export interface ResolveInsideOptions {
  /** Whose path rules apply; defaults to the running platform. Windows adds backslash, drive and device-name rules. */
  platform?: NodeJS.Platform;
}

// Characters Windows refuses in a file name (besides the separators and ":" handled on their own).
const WINDOWS_FORBIDDEN_CHARACTER = /[<>"|?*\u0001-\u001f]/;

// Names Windows maps to devices in every folder, with or without an extension.
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * Checks a device- or backup-supplied relative path without touching the disk and returns its segments
 * (empty and "." segments dropped). Throws UnsafePathError for anything that could leave the folder.
 */
export function splitRelativePath(root: string, devicePath: string, platform: NodeJS.Platform = process.platform): string[] {
  const refuse = (reason: string): never => {
    throw new UnsafePathError(
      `Refused the path "${printable(devicePath)}" because it ${reason}; every path must stay inside ${root}.`,
      devicePath,
      root,
    );
  };
  if (devicePath.includes('\0')) refuse('contains a NUL byte');
  if (devicePath.startsWith('/')) refuse('is absolute');
  const windows = platform === 'win32';
  if (windows) {
    // Windows treats "\" as a separator, so "a\..\..\x" would climb out although it has no "/..".
    if (devicePath.includes('\\')) refuse('contains a backslash, which Windows treats as a folder separator');
    // "C:x" is drive-relative and "name:stream" opens an alternate data stream.
    if (devicePath.includes(':')) refuse('contains a colon, which Windows reads as a drive or a data stream');
    // Writing such a name fails on Windows; refusing it here lets an extraction skip it instead of stopping.
    if (WINDOWS_FORBIDDEN_CHARACTER.test(devicePath)) refuse('contains a character Windows does not allow in file names');
  }
  const segments: string[] = [];
  for (const segment of devicePath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') refuse('contains a ".." segment');
    if (windows) {
      // Windows drops trailing dots and spaces, so "..." or ".. " would act as "..".
      const trimmed = segment.replace(/[. ]+$/, '');
      if (trimmed === '' || trimmed === '..') refuse(`contains the segment "${segment}", which Windows reads as a parent or empty name`);
      if (WINDOWS_DEVICE_NAME.test(trimmed)) refuse(`contains "${segment}", a reserved device name on Windows`);
    }
    segments.push(segment);
  }
  return segments;
}

/**
 * Resolves a device- or backup-supplied relative path inside `root` (which must exist): refuses absolute
 * paths, ".." segments, NUL bytes, Windows separator tricks, and paths that leave `root` through a symlink
 * already on disk (realpath of the deepest existing ancestor). Returns the absolute path to write to.
 */
export async function resolveInside(root: string, devicePath: string, options: ResolveInsideOptions = {}): Promise<string> {
  const segments = splitRelativePath(root, devicePath, options.platform);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (cause) {
    throw new BackupError(
      `Cannot place files in ${root} because ${fileSystemErrorReason(cause)}.`,
      'backup.output-unavailable',
      undefined,
      { cause },
    );
  }
  const target = path.join(realRoot, ...segments);
  // Walk up from the target to the deepest path that exists; its real location decides, because every
  // symlink the write would traverse lies at or above it.
  for (let depth = segments.length; depth > 0; depth--) {
    const candidate = path.join(realRoot, ...segments.slice(0, depth));
    try {
      await fs.lstat(candidate);
    } catch (err) {
      const code = fileSystemErrorCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new BackupError(`Cannot check the path ${candidate} because ${fileSystemErrorReason(err)}.`, 'backup.output-unavailable', undefined, { cause: err });
    }
    let realCandidate: string;
    try {
      realCandidate = await fs.realpath(candidate);
    } catch {
      // A dangling or looping symlink: a write would follow it to a place we cannot check.
      throw new UnsafePathError(
        `Refused the path "${printable(devicePath)}" because ${candidate} is a symlink whose target cannot be resolved; every path must stay inside ${root}.`,
        devicePath,
        root,
      );
    }
    if (!isInsideFolder(realRoot, realCandidate)) {
      throw new UnsafePathError(
        `Refused the path "${printable(devicePath)}" because it leaves ${root} through a symlink (${candidate} → ${realCandidate}).`,
        devicePath,
        root,
      );
    }
    break;
  }
  return target;
}

/** True when `candidate` is `folder` itself or lies below it (both absolute and already resolved). */
export function isInsideFolder(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

// NUL and other control characters would garble the one-line error message.
function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
