import assert from 'node:assert/strict';

/** A code such as ENOENT, EACCES, ERR_FS_EISDIR anywhere in the text. */
const ERRNO_TOKEN = /\bE[A-Z0-9]{2,}\b|\bERR_[A-Z_]+\b/;

/**
 * Fails when a message a person reads carries a bare POSIX code ("ENOENT", "EISDIR: illegal operation on a
 * directory"). Absolute paths are left out of the search: a random temp folder such as
 * "iosbr-errno-EQ8ZQY" is not a code, and once made a CI run fail.
 */
export function assertNoBareErrnoCode(message: string, what = 'no bare errno code'): void {
  assert.doesNotMatch(message.replace(/\/\S*/g, '<path>'), ERRNO_TOKEN, `${what}: ${message}`);
}
