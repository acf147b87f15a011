import { ProtocolError } from '../../common/errors';

/** "CFA6LPAA": the magic that opens every AFC packet. */
export const AFC_MAGIC = Buffer.from('CFA6LPAA', 'latin1');
/** Bytes of the fixed AFC packet header (magic + four u64 little-endian fields). */
export const AFC_HEADER_BYTES = 40;

/** AFC operation codes (the `operation` header field). */
export const AFC_OP = {
  Status: 0x01,
  Data: 0x02,
  ReadDirectory: 0x03,
  RemovePath: 0x08,
  MakeDir: 0x09,
  GetFileInfo: 0x0a,
  GetDeviceInfo: 0x0b,
  FileRefOpen: 0x0d,
  FileRefOpenResult: 0x0e,
  FileRefRead: 0x0f,
  FileRefWrite: 0x10,
  FileRefSeek: 0x11,
  FileRefTell: 0x12,
  FileRefTellResult: 0x13,
  FileRefClose: 0x14,
  FileRefSetFileSize: 0x15,
  RenamePath: 0x18,
  FileRefLock: 0x1b,
  RemovePathAndContents: 0x22,
} as const;

/** The highest operation code AFC defines; codes above are answered with UnknownPacketType. */
export const AFC_LAST_KNOWN_OP = 0x2b;

/** AFC status codes (the u64 of a Status reply). */
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
  PermDenied: 10,
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
  DirNotEmpty: 33,
} as const;

/** An AFC status code. */
export type AfcStatus = (typeof AFC_STATUS)[keyof typeof AFC_STATUS];

/** The decoded fixed header of one AFC packet. */
export interface AfcHeader {
  /** Header + header data + payload. */
  entireLength: number;
  /** Header + header data. */
  thisLength: number;
  packetNumber: bigint;
  operation: number;
}

/** Largest header data (paths, handles) a host may send; real requests are far smaller. */
export const AFC_MAX_HEADER_DATA_BYTES = 64 * 1024;
/** Largest payload (FileRefWrite data) a host may send in one packet. */
export const AFC_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** Decodes and bounds-checks the 40-byte header of a host request. */
export function decodeAfcHeader(bytes: Buffer): AfcHeader {
  if (bytes.length !== AFC_HEADER_BYTES || !bytes.subarray(0, 8).equals(AFC_MAGIC)) {
    throw new ProtocolError('The host sent an AFC packet without the CFA6LPAA magic.', 'AFC host');
  }
  const entire = bytes.readBigUInt64LE(8);
  const own = bytes.readBigUInt64LE(16);
  const operation = bytes.readBigUInt64LE(32);
  if (own < AFC_HEADER_BYTES || entire < own) throw new ProtocolError('The host sent an AFC packet whose lengths are inconsistent.', 'AFC host');
  if (own - BigInt(AFC_HEADER_BYTES) > BigInt(AFC_MAX_HEADER_DATA_BYTES) || entire - own > BigInt(AFC_MAX_PAYLOAD_BYTES)) {
    throw new ProtocolError('The host sent an AFC packet larger than the device accepts.', 'AFC host');
  }
  return {
    entireLength: Number(entire),
    thisLength: Number(own),
    packetNumber: bytes.readBigUInt64LE(24),
    operation: operation > BigInt(0xffff) ? 0xffff : Number(operation),
  };
}

/** Encodes one device reply: header data goes in the header part, payload after it. */
export function encodeAfcPacket(packetNumber: bigint, operation: number, headerData: Buffer, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(AFC_HEADER_BYTES);
  AFC_MAGIC.copy(header, 0);
  header.writeBigUInt64LE(BigInt(AFC_HEADER_BYTES + headerData.length + payload.length), 8);
  header.writeBigUInt64LE(BigInt(AFC_HEADER_BYTES + headerData.length), 16);
  header.writeBigUInt64LE(packetNumber, 24);
  header.writeBigUInt64LE(BigInt(operation), 32);
  return Buffer.concat([header, headerData, payload]);
}

/** A u64 little-endian value (status codes, handles, positions). */
export function u64(value: number | bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(value), 0);
  return out;
}

/** The Status reply carrying `status`. */
export function encodeAfcStatus(packetNumber: bigint, status: AfcStatus): Buffer {
  return encodeAfcPacket(packetNumber, AFC_OP.Status, u64(status));
}

/** A Data reply: the bytes travel as payload, as devices send them. */
export function encodeAfcData(packetNumber: bigint, data: Buffer): Buffer {
  return encodeAfcPacket(packetNumber, AFC_OP.Data, Buffer.alloc(0), data);
}

/** NUL-terminated strings back to back, the shape of directory listings and key/value info. */
export function encodeAfcStrings(items: readonly string[]): Buffer {
  return Buffer.concat(items.map((s) => Buffer.from(`${s}\0`, 'utf8')));
}

/** The NUL-terminated strings of a request's header data, from `offset` on. */
export function decodeAfcStrings(data: Buffer, offset = 0): string[] {
  const out: string[] = [];
  let start = offset;
  for (let i = offset; i < data.length; i++) {
    if (data[i] === 0) {
      out.push(data.toString('utf8', start, i));
      start = i + 1;
    }
  }
  // A missing final NUL still ends the last string, as devices are lenient here.
  if (start < data.length) out.push(data.toString('utf8', start));
  return out;
}
