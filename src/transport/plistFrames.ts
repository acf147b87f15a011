import { ProtocolError } from '../common/errors';
import { buildBinaryPlist, buildXmlPlist, parsePlist, type PlistValue } from '../plist';
import type { ByteQueue } from './byteQueue';

/** Which plist encoding a frame is written in; receivers accept both. */
export type PlistEncoding = 'xml' | 'binary';

/** Limits for reading one length-prefixed plist frame. */
export interface FrameLimits {
  /** Largest body accepted; the length prefix is checked before anything is buffered. */
  maxBytes: number;
  /** How long to wait for the whole frame (0 = no limit). */
  timeoutMs: number;
}

/** Encodes one service frame: u32 big-endian body length + plist body. */
export function encodePlistFrame(value: PlistValue, encoding: PlistEncoding): Buffer {
  const body = encoding === 'binary' ? buildBinaryPlist(value) : Buffer.from(buildXmlPlist(value), 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(body.length, 0);
  return Buffer.concat([prefix, body]);
}

/** Reads one length-prefixed plist frame, refusing lengths over the cap and non-plist bodies. */
export async function readPlistFrame(queue: ByteQueue, peer: string, limits: FrameLimits): Promise<PlistValue> {
  const prefix = await queue.read(4, limits.timeoutMs);
  const length = prefix.readUInt32BE(0);
  if (length > limits.maxBytes) {
    throw new ProtocolError(`The ${peer} sent a message of ${length} bytes, over the limit of ${limits.maxBytes} bytes.`, peer);
  }
  const body = await queue.read(length, limits.timeoutMs);
  try {
    return parsePlist(body);
  } catch (err) {
    throw new ProtocolError(`The ${peer} sent a message that is not a valid property list.`, peer, { cause: err });
  }
}
