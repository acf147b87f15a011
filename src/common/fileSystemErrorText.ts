/*
 * What a failed file-system call means, said for a person. Node's own messages ("ENOENT: no such file or
 * directory, open '…'") and bare codes mean nothing to most support engineers, so every message that
 * reports a file-system failure takes its reason from here. The text a host sends to a device over
 * DeviceLink is a different thing (strerror style, see services/deviceLinkCodec.ts).
 *
 * This file sits at the top of src/ because the backup core, the CLI and the VS Code adapters all need it
 * and it depends on nothing.
 */

/** Reasons for the codes file operations on backup folders and output folders actually meet. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of its path is a file where a folder should be',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'the account running iosbr does not have permission',
  EPERM: 'the operating system does not permit it (a security setting such as macOS Full Disk Access, a lock or an immutable file)',
  ELOOP: 'its path ends in or runs through symbolic links, which are not followed',
  EMLINK: 'its path ends in or runs through symbolic links, which are not followed',
  ENOSPC: 'the disk is full',
  EDQUOT: "the account's disk quota is used up",
  EROFS: 'the disk is read-only',
  EMFILE: 'too many files are open in this process; close other work or raise the open-file limit, then try again',
  ENFILE: 'too many files are open on this computer; close other programs, then try again',
  EEXIST: 'something with that name already exists',
  ENOTEMPTY: 'the folder is not empty',
  EBUSY: 'it is in use by another program',
  EAGAIN: 'it is busy for the moment; try again',
  EIO: 'the disk reported an input/output error, which usually means damaged media or a drive that was disconnected',
  ENXIO: 'the device or pipe behind it is not there',
  ENODEV: 'the device behind it is not there',
  ENAMETOOLONG: 'its name or path is longer than the file system allows',
  EILSEQ: 'its name has characters the file system cannot store',
  EXDEV: 'it would have to move between two different disks',
  EINVAL: 'the file system refused the request as invalid (for example a name it cannot store)',
  EFBIG: 'it is larger than the file system allows',
  ETIMEDOUT: 'the disk did not answer in time (a network share that went away?)',
  ESTALE: 'the network share it is on was remounted or went away',
  EBADF: 'it was closed while still in use',
  ECANCELED: 'the operation was cancelled',
  // Node's own codes for the same conditions.
  ERR_FS_EISDIR: 'it is a folder, not a file',
  ERR_FS_FILE_TOO_LARGE: 'it is larger than 2 GiB, more than can be read at once',
};

const MAX_CAUSE_DEPTH = 4;

/** The error code ("ENOENT", "ERR_FS_EISDIR", …) of an error or of the error it wraps, if any. */
export function fileSystemErrorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && (/^E[A-Z0-9]+$/.test(code) || code in REASONS)) return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * Why a file-system call failed, as a clause about the file ("it does not exist", "the disk is full"),
 * to follow "because". An unknown code keeps the operating system's own short description, with the code
 * after it so it can be looked up; an error without a code keeps its message.
 */
export function fileSystemErrorReason(error: unknown): string {
  const code = fileSystemErrorCode(error);
  if (code !== undefined) {
    const known = REASONS[code];
    if (known !== undefined) return known;
    const description = systemDescription(error, code);
    return description === undefined
      ? `the operating system refused with error ${code}, which iosbr does not know`
      : `the operating system answered "${description}" (${code})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, '');
}

/** What a Node file-system call was doing, as the verb of "Cannot <verb> <path>". */
const SYSCALL_ACTIONS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  stat: 'look at',
  lstat: 'look at',
  fstat: 'look at',
  scandir: 'list the folder',
  opendir: 'list the folder',
  mkdir: 'create the folder',
  rmdir: 'remove the folder',
  rm: 'remove',
  unlink: 'remove',
  rename: 'move',
  copyfile: 'copy',
  link: 'link',
  symlink: 'create a link at',
  realpath: 'resolve',
  utime: 'set the times of',
  chmod: 'change the permissions of',
  fsync: 'flush',
  close: 'close',
};

/**
 * One sentence for a failed file-system call: "Cannot <action> <subject> because <reason>.", e.g.
 * fileSystemErrorSentence(err, 'read', 'Manifest.db in /backups/X'). Without an action and subject they
 * come from the error's own syscall and path ("Cannot create the folder /out/x because the disk is full.").
 */
export function fileSystemErrorSentence(error: unknown, action?: string, subject?: string): string {
  const reason = fileSystemErrorReason(error);
  const failed = error as Partial<NodeJS.ErrnoException> | undefined;
  const verb = action ?? (typeof failed?.syscall === 'string' ? SYSCALL_ACTIONS[failed.syscall] : undefined) ?? 'use';
  const target = subject ?? (typeof failed?.path === 'string' ? failed.path : undefined);
  if (target === undefined) return `A file operation failed because ${reason}.`;
  return `Cannot ${verb} ${target} because ${reason}.`;
}

/** The strerror part of a Node message ("EXDEV: cross-device link not permitted, rename 'a' -> 'b'"). */
function systemDescription(error: unknown, code: string): string | undefined {
  for (let current = error, depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; current = current.cause, depth++) {
    const match = new RegExp(`^${code}: ([^,]+)`).exec(current.message);
    if (match) return match[1].trim();
  }
  return undefined;
}

/**
 * What a person reads for any error: a raw Node file-system error (its own code, and a syscall or a
 * message that starts with the code) as a sentence saying what it means; any other error as its own
 * message, since the project's errors are already sentences (even when they wrap a file-system cause).
 */
export function errorMessageForPeople(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = (error as Partial<NodeJS.ErrnoException>).code;
  const raw = typeof own === 'string' && own === fileSystemErrorCode(error) && (typeof (error as Partial<NodeJS.ErrnoException>).syscall === 'string' || error.message.startsWith(`${own}:`) || error.message.startsWith(`${own} `));
  return raw ? fileSystemErrorSentence(error) : error.message;
}
