import { UsageError } from '../../common/errors';

/** The simulated person's device passcode and how they answer the passcode prompt (iOS 16.1+). */
export interface PasscodeSpec {
  /** A passcode is set, so iOS 16.1+ asks for it before each backup and restore. */
  set: boolean;
  /** Milliseconds after the prompt appears until the person types the passcode; null: nobody ever does. */
  enteredAfterMs: number | null;
  /** How long the device waits at the prompt before it gives up with 208 (real devices: about three minutes). */
  timeoutMs: number;
}

/** When a device restarts after a restore that asked for it, and how long it stays away from usbmuxd. */
export interface RestartSpec {
  /** Delay between the final Response and the restart, so the host can release its sync lock first. */
  afterRestoreDelayMs: number;
  /** Time between Detached and Attached. */
  downMs: number;
}

/** The simulator-only scenario fields the restore side adds to a device (docs/simulator.md#restore-scenario-fields-and-faults). */
export interface RestoreScenarioFields {
  passcode: PasscodeSpec;
  /** Free bytes on the data partition while the device holds its generated dataset. */
  freeSpaceBytes: number;
  restart: RestartSpec;
}

/** What real devices answer in com.apple.disk_usage when the scenario says nothing. */
export const DEFAULT_FREE_SPACE_BYTES = 60_000_000_000;
/** How long a real device waits at the passcode prompt (lid#1380: 208 after about three minutes). */
export const DEFAULT_PASSCODE_TIMEOUT_MS = 180_000;

const DEFAULT_PASSCODE: PasscodeSpec = { set: false, enteredAfterMs: 0, timeoutMs: DEFAULT_PASSCODE_TIMEOUT_MS };
const DEFAULT_RESTART: RestartSpec = { afterRestoreDelayMs: 1500, downMs: 2000 };

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function fail(path: string, expected: string): never {
  throw new UsageError(`Scenario field ${path} must be ${expected}.`);
}

function count(raw: Raw, key: string, path: string, fallback: number): number {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (!isCount(v)) fail(`${path}.${key}`, 'a whole number ≥ 0');
  return v;
}

/** Validates the passcode, freeSpaceBytes and restart fields of one scenario device and fills their defaults. */
export function parseRestoreScenarioFields(raw: Raw, path: string): RestoreScenarioFields {
  const passcodeRaw = raw.passcode ?? {};
  if (!isObject(passcodeRaw)) fail(`${path}.passcode`, 'an object {set, enteredAfterMs, timeoutMs}');
  const set = passcodeRaw.set ?? DEFAULT_PASSCODE.set;
  if (typeof set !== 'boolean') fail(`${path}.passcode.set`, 'true or false');
  const entered = passcodeRaw.enteredAfterMs === undefined ? DEFAULT_PASSCODE.enteredAfterMs : passcodeRaw.enteredAfterMs;
  if (entered !== null && !isCount(entered)) fail(`${path}.passcode.enteredAfterMs`, 'a whole number of milliseconds, or null for never');
  const timeoutMs = count(passcodeRaw, 'timeoutMs', `${path}.passcode`, DEFAULT_PASSCODE.timeoutMs);
  if (timeoutMs === 0) fail(`${path}.passcode.timeoutMs`, 'at least 1 millisecond');

  const restartRaw = raw.restart ?? {};
  if (!isObject(restartRaw)) fail(`${path}.restart`, 'an object {afterRestoreDelayMs, downMs}');

  return {
    passcode: { set, enteredAfterMs: entered, timeoutMs },
    freeSpaceBytes: count(raw, 'freeSpaceBytes', path, DEFAULT_FREE_SPACE_BYTES),
    restart: {
      afterRestoreDelayMs: count(restartRaw, 'afterRestoreDelayMs', `${path}.restart`, DEFAULT_RESTART.afterRestoreDelayMs),
      downMs: count(restartRaw, 'downMs', `${path}.restart`, DEFAULT_RESTART.downMs),
    },
  };
}
