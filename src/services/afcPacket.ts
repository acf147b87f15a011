import { ProtocolError } from '../common/errors';

/** AFC packet magic: ASCII "CFA6LPAA". */
export const AFC_MAGIC = Buffer.from('CFA6LPAA', 'ascii');

/** Size of the AFC packet header: magic + four u64 LE fields. */
export const AFC_HEADER_BYTES = 40;

/** AFC operation codes, the `operation` header field (docs/protocol/other-services.md#afc). */
export const AFC_OPERATION = {
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

/** The highest operation code AFC defines; a device answers codes above it with UnknownPacketType. */
export const AFC_LAST_KNOWN_OPERATION = 0x2b;

/** FileRefOpen modes. */
export const AFC_OPEN_MODE = { ReadOnly: 1, ReadWrite: 2, WriteOnly: 3, WriteRead: 4, Append: 5, AppendRead: 6 } as const;

/** FileRefLock operations (flock values with LOCK_NB = 4 added). */
export const AFC_LOCK = { Shared: 1 | 4, Exclusive: 2 | 4, Unlock: 8 | 4 } as const;

/** Largest AFC reply accepted; the sync-lock operations answer with a few bytes. */
export const AFC_MAX_PACKET_BYTES = 1024 * 1024;

/** One AFC packet. `headerData` is the operation's fixed arguments, `payload` any bulk data after them. */
export interface AfcPacket {
  packetNumber: bigint;
  operation: number;
  headerData: Buffer;
  payload: Buffer;
}

/** Encodes an AFC packet: header (lengths computed here), header data, payload. */
export function encodeAfcPacket(packet: AfcPacket): Buffer {
  const thisLength = AFC_HEADER_BYTES + packet.headerData.length;
  const header = Buffer.alloc(AFC_HEADER_BYTES);
  AFC_MAGIC.copy(header, 0);
  header.writeBigUInt64LE(BigInt(thisLength + packet.payload.length), 8);
  header.writeBigUInt64LE(BigInt(thisLength), 16);
  header.writeBigUInt64LE(packet.packetNumber, 24);
  header.writeBigUInt64LE(BigInt(packet.operation), 32);
  return Buffer.concat([header, packet.headerData, packet.payload]);
}

/** The lengths announced by an AFC header, checked against the magic and the size cap. */
export interface AfcHeader {
  /** Header + header data + payload. */
  entireLength: number;
  /** Header + header data. */
  thisLength: number;
  packetNumber: bigint;
  /** The operation code; one beyond 16 bits reads as 0xffff, which no operation uses. */
  operation: number;
}

/** What a reader of AFC packets accepts, and whom it blames for a bad one. */
export interface AfcPacketLimits {
  /** Who sent the packets: "device" for a host reading replies, "host" for the simulated device. */
  sender: 'device' | 'host';
  /** Largest whole packet, header included. */
  maxPacketBytes: number;
  /** Largest header data (paths, handles), when it has a cap below the packet's. */
  maxHeaderDataBytes?: number;
}

const DEVICE_REPLIES: AfcPacketLimits = { sender: 'device', maxPacketBytes: AFC_MAX_PACKET_BYTES };

/** Decodes and checks a 40-byte AFC header (magic, lengths consistent and under the caps). */
export function decodeAfcHeader(bytes: Buffer, peer = 'com.apple.afc', limits: AfcPacketLimits = DEVICE_REPLIES): AfcHeader {
  const { sender } = limits;
  if (bytes.length !== AFC_HEADER_BYTES || !bytes.subarray(0, 8).equals(AFC_MAGIC)) {
    throw new ProtocolError(`The ${sender} sent an AFC packet without the AFC magic.`, peer);
  }
  const entire = bytes.readBigUInt64LE(8);
  const thisLength = bytes.readBigUInt64LE(16);
  if (thisLength < BigInt(AFC_HEADER_BYTES) || entire < thisLength) {
    throw new ProtocolError(`The ${sender} sent an AFC packet with inconsistent lengths.`, peer);
  }
  if (entire > BigInt(limits.maxPacketBytes) || thisLength - BigInt(AFC_HEADER_BYTES) > BigInt(limits.maxHeaderDataBytes ?? limits.maxPacketBytes)) {
    throw new ProtocolError(`The ${sender} sent an AFC packet of ${entire} bytes, over the limit of ${limits.maxPacketBytes} bytes.`, peer);
  }
  const operation = bytes.readBigUInt64LE(32);
  return {
    entireLength: Number(entire),
    thisLength: Number(thisLength),
    packetNumber: bytes.readBigUInt64LE(24),
    operation: operation > 0xffffn ? 0xffff : Number(operation),
  };
}

/** A path argument: UTF-8 bytes and a terminating NUL. */
export function encodeAfcPath(path: string): Buffer {
  return Buffer.concat([Buffer.from(path, 'utf8'), Buffer.from([0])]);
}

/** Concatenates u64 LE values (handles, modes, lock operations). */
export function encodeAfcU64(...values: Array<number | bigint>): Buffer {
  const out = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => out.writeBigUInt64LE(BigInt(v), i * 8));
  return out;
}

/** NUL-terminated strings back to back, the shape of directory listings and key/value info. */
export function encodeAfcStrings(items: readonly string[]): Buffer {
  return Buffer.concat(items.map((s) => Buffer.from(`${s}\0`, 'utf8')));
}

/** The NUL-terminated strings of header data or a reply, from `offset` on; a missing final NUL still ends the last one. */
export function decodeAfcStrings(data: Buffer, offset = 0): string[] {
  const out = data.toString('utf8', offset).split('\0');
  if (out[out.length - 1] === '') out.pop();
  return out;
}
