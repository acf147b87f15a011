/** AFC status codes (the u64 of a Status reply) that callers branch on. */
export const AFC_STATUS = {
  Success: 0,
  ObjectNotFound: 8,
  PermissionDenied: 10,
  ObjectExists: 16,
  NoSpaceLeft: 18,
  OpWouldBlock: 19,
  MuxError: 30,
} as const;

const AFC_STATUS_TEXT: Record<number, string> = {
  0: 'success',
  1: 'an unknown error',
  2: 'an invalid operation header',
  3: 'no resources',
  4: 'a read error',
  5: 'a write error',
  6: 'an unknown packet type',
  7: 'an invalid argument',
  8: 'object not found',
  9: 'the object is a directory',
  10: 'permission denied',
  11: 'service not connected',
  12: 'operation timed out',
  13: 'too much data',
  14: 'end of data',
  15: 'operation not supported',
  16: 'the object exists',
  17: 'the object is busy',
  18: 'no space left',
  19: 'the operation would block (held elsewhere)',
  20: 'an I/O error',
  21: 'operation interrupted',
  22: 'operation in progress',
  23: 'an internal error',
  30: 'a connection (mux) error',
  31: 'out of memory',
  32: 'not enough data',
  33: 'directory not empty',
};

/** The words for an AFC status code, e.g. "object not found (AFC error 8)". */
export function describeAfcStatus(status: number): string {
  return `${AFC_STATUS_TEXT[status] ?? 'an unrecognised error'} (AFC error ${status})`;
}
