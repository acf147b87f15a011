import type { Logger } from '../../common/logger';
import { DL_DEVICE_REQUEST_NAMES, type DLDeviceRequestName } from '../../services/deviceLinkCodec';

/** The mobilebackup2 requests a link fault can be limited to. */
export type LinkFaultOperation = 'backup' | 'restore';

/**
 * Pull the cable around one DeviceLink message the device sends: `before` it goes out (everything
 * earlier reaches the host), or `after` the host's answer to it arrived (for DLMessageProcessMessage,
 * the device's final result: after it went out). `nth` counts that message within one request.
 */
export interface DropLinkFault {
  operation: LinkFaultOperation;
  when: 'before' | 'after';
  message: DLDeviceRequestName;
  nth: number;
}

/**
 * A slow link: the device sends and reads at most `bytesPerSecond` on mobilebackup2. With
 * `stallAfterBytes` it stops sending and reading once that many bytes went either way, for
 * `stallMs`, leaving the connection open, as a link that hangs without breaking.
 */
export interface TrickleFault {
  bytesPerSecond: number;
  stallAfterBytes?: number;
  stallMs: number;
}

/** How long a stall lasts unless the scenario says: longer than any host should wait. */
const DEFAULT_STALL_MS = 15 * 60_000;

/** The link fault switches of a scenario device (docs/simulator.md#link-faults). */
export interface LinkFaults {
  dropLink?: DropLinkFault;
  trickle?: TrickleFault;
}

/** A trickle must still move: one byte a second is the slowest the simulator paces. */
const MIN_BYTES_PER_SECOND = 1;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the link faults out of a scenario's `faults` object. Other switches are left alone; a link
 * switch of the wrong shape is logged and ignored, so a typo never crashes a run.
 */
export function readLinkFaults(faults: Record<string, unknown>, log: Logger): LinkFaults {
  const out: LinkFaults = {};
  const has = (key: string) => Object.hasOwn(faults, key) && faults[key] !== undefined && faults[key] !== null;
  if (has('dropLink')) {
    const drop = readDropLink(faults.dropLink);
    if (drop) out.dropLink = drop;
    else log.warn('scenario fault ignored', { fault: 'dropLink', expected: `{operation: "backup"|"restore", when: "before"|"after", message: one of ${DL_DEVICE_REQUEST_NAMES.join(', ')}, nth?: whole number ≥ 1}` });
  }
  if (has('trickle')) {
    const trickle = readTrickle(faults.trickle);
    if (trickle) out.trickle = trickle;
    else log.warn('scenario fault ignored', { fault: 'trickle', expected: `{bytesPerSecond: whole number ≥ ${MIN_BYTES_PER_SECOND}, stallAfterBytes?: whole number ≥ 0, stallMs?: whole number ≥ 0}` });
  }
  return out;
}

function readDropLink(raw: unknown): DropLinkFault | undefined {
  if (!isObject(raw)) return undefined;
  const { operation, when, message } = raw;
  const nth = raw.nth ?? 1;
  if (operation !== 'backup' && operation !== 'restore') return undefined;
  if (when !== 'before' && when !== 'after') return undefined;
  const name = DL_DEVICE_REQUEST_NAMES.find((n) => n === message);
  if (name === undefined || !isCount(nth) || nth < 1) return undefined;
  return { operation, when, message: name, nth };
}

function readTrickle(raw: unknown): TrickleFault | undefined {
  if (!isObject(raw)) return undefined;
  const { bytesPerSecond, stallAfterBytes, stallMs = DEFAULT_STALL_MS } = raw;
  if (!isCount(bytesPerSecond) || bytesPerSecond < MIN_BYTES_PER_SECOND) return undefined;
  if ((stallAfterBytes !== undefined && !isCount(stallAfterBytes)) || !isCount(stallMs)) return undefined;
  return stallAfterBytes === undefined ? { bytesPerSecond, stallMs } : { bytesPerSecond, stallAfterBytes, stallMs };
}
