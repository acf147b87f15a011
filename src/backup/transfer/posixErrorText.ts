import { deviceErrorFromErrno, type DLFileFailure } from '../../services/deviceLinkCodec';

/*
 * What the host answers a device over DeviceLink when one of its file operations fails: a device error code
 * and strerror-style text, as iTunes and libimobiledevice send them. This text is protocol, not for people;
 * messages a person reads take their reason from fileSystemErrorText.ts.
 */

/** The strerror-style text hosts send to the device with a device error code. */
export function posixErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EEXIST': return 'File exists';
    case 'ENOTDIR': return 'Not a directory';
    case 'EISDIR':
    case 'ERR_FS_EISDIR': return 'Is a directory';
    case 'ELOOP': return 'Too many levels of symbolic links';
    case 'EIO': return 'Input/output error';
    case 'ENOSPC': return 'No space left on device';
    case 'EACCES': return 'Permission denied';
    case 'EPERM': return 'Operation not permitted';
    case 'ENOTEMPTY': return 'Directory not empty';
    case 'EROFS': return 'Read-only file system';
    default: return error instanceof Error ? error.message : String(error);
  }
}

/** The POSIX error code symbol of a Node error ("ENOENT"), with Node's own EISDIR variant folded in. */
export function posixErrorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ERR_FS_EISDIR' ? 'EISDIR' : code;
}

/** A local file-system error as the device is answered: its device error code and strerror-style text. */
export function deviceLinkFailure(error: unknown): DLFileFailure {
  return { code: deviceErrorFromErrno(posixErrorCode(error)), text: posixErrorText(error) };
}
