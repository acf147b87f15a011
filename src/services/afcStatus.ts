/** AFC status codes (the u64 of a Status reply), as afc.h names them. */
export const AFC_STATUS = {
  Success: 0,
  UnknownError: 1,
  OpHeaderInvalid: 2,
  NoResources: 3,
  ReadError: 4,
  WriteError: 5,
  UnknownPacketType: 6,
  InvalidArg: 7,
  ObjectNotFound: 8,
  ObjectIsDir: 9,
  PermissionDenied: 10,
  ServiceNotConnected: 11,
  OpTimeout: 12,
  TooMuchData: 13,
  EndOfData: 14,
  OpNotSupported: 15,
  ObjectExists: 16,
  ObjectBusy: 17,
  NoSpaceLeft: 18,
  OpWouldBlock: 19,
  IoError: 20,
  MuxError: 30,
  DirNotEmpty: 33,
} as const;

/** An AFC status code. */
export type AfcStatus = (typeof AFC_STATUS)[keyof typeof AFC_STATUS];

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
