import { UsageError } from '../common/errors';
import { parseScenario, type Scenario } from './scenario';

/** The smallest and largest bench: one source and at least one replacement; 32 is a full bench of hubs. */
export const MIN_BENCH_DEVICES = 2;
export const MAX_BENCH_DEVICES = 32;
/** With faults, three replacements carry them (passcode, dropped link, Find My): a source and three more at least. */
export const MIN_BENCH_DEVICES_WITH_FAULTS = 4;

/** A small dataset per device by default, so a whole bench backs up in seconds. */
export const DEFAULT_BENCH_FILES = 60;
export const DEFAULT_BENCH_BYTES = 600_000;

/** How long the person at the passcode device takes to type the passcode. */
export const BENCH_PASSCODE_DELAY_MS = 4000;

/** The bench's source iPhone (the one to back up), then the replacements, 1-based. */
export const BENCH_SOURCE_INDEX = 1;
/** With faults: the replacement that asks for its passcode before each backup and restore. */
export const BENCH_PASSCODE_INDEX = 2;
/** With faults: the replacement that drops the link in the middle of every backup and every restore. */
export const BENCH_DROP_LINK_INDEX = 3;
/** With faults: the replacement with Find My on (its restores are refused). */
export const BENCH_FIND_MY_INDEX = 4;

/** The model and iOS of the source, and the newer iOS of the replacements (the restore checks want the target not older). */
const SOURCE_OS = { productVersion: '16.1', buildVersion: '20B82' };
const REPLACEMENT_OS = { productVersion: '17.2', buildVersion: '21C62' };
const MODEL = 'iPhone14,5';
const ORGANIZATION = 'Example Corp';

export interface BenchScenarioOptions {
  /** Devices on the bench, the source included (2..32). */
  devices: number;
  /** Adds the three per-device faults to replacements 2, 3 and 4 (needs 4 devices or more). */
  faults?: boolean;
  /** Files and bytes of each device's dataset (benchmarks raise them). */
  files?: number;
  totalBytes?: number;
}

/** The UDID of bench device `index` (1-based): `00008110-0000000000B000NN`, NN in hex, so they sort in bench order. */
export function benchUdid(index: number): string {
  return `00008110-0000000000B000${index.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The serial number of bench device `index`. */
export function benchSerial(index: number): string {
  return `F2LBENCH${String(index).padStart(4, '0')}`;
}

/** The name of bench device `index`. */
export function benchName(index: number): string {
  return `Bench iPhone ${index}`;
}

/** The fault switches of replacement `index` on a bench with faults. */
function faultsOf(index: number, totalBytes: number): Record<string, unknown> {
  if (index !== BENCH_DROP_LINK_INDEX) return {};
  return {
    // Backups: the connection drops half-way through the content, in the middle of a file.
    disconnectAfterBytes: Math.floor(totalBytes / 2),
    // Restores: the cable goes once the files were sent, before the device commits them.
    dropLink: { operation: 'restore', when: 'after', message: 'DLMessageDownloadFiles', nth: 2 },
  };
}

/**
 * A kitting bench (docs/simulator.md#bench-scenario): device 1 is the source iPhone, set up,
 * unsupervised and MDM-enrolled, the one to back up; devices 2..N are replacements of the same
 * model on a newer iOS, waiting in Setup Assistant (SetupDone false), supervised and enrolled
 * through Automated Device Enrollment, so a backup of the source passes the restore checks on
 * every one of them (the MDM vendor's table "backup device unsupervised, different device,
 * target supervised": supported, the agent re-authenticates). With faults, replacement 2 asks for
 * its passcode, 3 drops the link, 4 has Find My on. Everything is derived from the index: two
 * benches of the same size are the same bench.
 */
export function benchScenario(options: BenchScenarioOptions): Scenario {
  const { devices, faults = false } = options;
  if (!Number.isInteger(devices) || devices < MIN_BENCH_DEVICES || devices > MAX_BENCH_DEVICES) {
    throw new UsageError(`A bench has ${MIN_BENCH_DEVICES} to ${MAX_BENCH_DEVICES} devices (got ${devices}).`);
  }
  if (faults && devices < MIN_BENCH_DEVICES_WITH_FAULTS) {
    throw new UsageError(`A bench with faults needs at least ${MIN_BENCH_DEVICES_WITH_FAULTS} devices: the source and one replacement per fault (got ${devices}).`);
  }
  const files = options.files ?? DEFAULT_BENCH_FILES;
  const totalBytes = options.totalBytes ?? DEFAULT_BENCH_BYTES;
  const entries = [];
  for (let index = 1; index <= devices; index++) {
    const source = index === BENCH_SOURCE_INDEX;
    entries.push({
      udid: benchUdid(index),
      name: benchName(index),
      productType: MODEL,
      ...(source ? SOURCE_OS : REPLACEMENT_OS),
      serialNumber: benchSerial(index),
      supervised: !source,
      mdm: 'enrolled',
      organizationName: ORGANIZATION,
      setupDone: source,
      findMy: faults && index === BENCH_FIND_MY_INDEX,
      ...(faults && index === BENCH_PASSCODE_INDEX ? { passcode: { set: true, enteredAfterMs: BENCH_PASSCODE_DELAY_MS } } : {}),
      dataset: { files, totalBytes, seed: index },
      faults: faults ? faultsOf(index, totalBytes) : {},
    });
  }
  return parseScenario({ devices: entries });
}
