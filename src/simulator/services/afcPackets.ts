import { AFC_HEADER_BYTES, AFC_OPERATION, encodeAfcPacket, encodeAfcU64, type AfcPacketLimits } from '../../services/afcPacket';
import type { AfcStatus } from '../../services/afcStatus';

/*
 * The device side of AFC: what the simulated afcd accepts from a host and how it answers. The packet codec,
 * operation and status codes are the host's (services/afcPacket.ts, services/afcStatus.ts).
 */

/** Largest header data (paths, handles) a host may send; real requests are far smaller. */
const AFC_MAX_HEADER_DATA_BYTES = 64 * 1024;
/** Largest payload (FileRefWrite data) a host may send in one packet. */
const AFC_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** What the simulated device accepts from a host. */
export const HOST_REQUESTS: AfcPacketLimits = {
  sender: 'host',
  maxPacketBytes: AFC_HEADER_BYTES + AFC_MAX_HEADER_DATA_BYTES + AFC_MAX_PAYLOAD_BYTES,
  maxHeaderDataBytes: AFC_MAX_HEADER_DATA_BYTES,
};

/** The Status reply carrying `status`. */
export function encodeAfcStatus(packetNumber: bigint, status: AfcStatus): Buffer {
  return encodeAfcPacket({ packetNumber, operation: AFC_OPERATION.Status, headerData: encodeAfcU64(status), payload: Buffer.alloc(0) });
}

/** A Data reply: the bytes travel as payload, as devices send them. */
export function encodeAfcData(packetNumber: bigint, data: Buffer): Buffer {
  return encodeAfcPacket({ packetNumber, operation: AFC_OPERATION.Data, headerData: Buffer.alloc(0), payload: data });
}
