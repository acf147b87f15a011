import { readFileSync } from 'node:fs';
import { fileSystemErrorSentence } from '../common/fileSystemErrorText';
import { KEYBAG_MAX_SHA1_ITERATIONS, KEYBAG_MAX_SHA256_ITERATIONS } from '../backup/crypto/keybagTlv';
import { DEFAULT_SHA1_ITERATIONS, DEFAULT_SHA256_ITERATIONS } from '../backup/crypto/passwordKey';
import { UsageError } from '../common/errors';
import { parseRestoreScenarioFields, type RestoreScenarioFields } from './restore/restoreScenarioFields';

/** How the simulated person at the device answers the "Trust This Computer?" dialog. */
export interface TrustBehaviour {
  /** trust: tap Trust (after delayMs); deny: tap Don't Trust; locked: the device stays locked (PasswordProtected). */
  response: 'trust' | 'deny' | 'locked';
  delayMs: number;
}

/** The deterministic file set a simulated device backs up. */
export interface DatasetSpec {
  files: number;
  totalBytes: number;
  seed: number;
  /** Bumping it changes a small deterministic subset of files (content and mtime) for incremental backups. */
  generation: number;
}

/** PBKDF2 iteration counts of the backup keybag a device creates when encryption is on. */
export interface KeybagIterations {
  /** DPIC: PBKDF2-HMAC-SHA256 iterations (real devices: 10,000,000, about two seconds). */
  sha256: number;
  /** ITER: PBKDF2-HMAC-SHA1 iterations (real devices: 10,000). */
  sha1: number;
}

/** One simulated device (docs/simulator.md#device-fields). */
export interface SimulatedDeviceSpec extends RestoreScenarioFields {
  udid: string;
  name: string;
  productType: string;
  productVersion: string;
  buildVersion: string;
  serialNumber: string;
  deviceClass: string;
  supervised: boolean;
  mdm: 'enrolled' | 'none';
  organizationName: string;
  findMy: boolean;
  /** lockdown com.apple.purplebuddy SetupDone: false while the device shows Setup Assistant (a replacement waiting to be kitted). */
  setupDone: boolean;
  backupPassword: string | null;
  resetAllSettingsQuirk: boolean;
  /** Simulator-only: the keybag's iteration counts; tests lower them, as the real ones cost seconds per backup. */
  keybagIterations: KeybagIterations;
  dataset: DatasetSpec;
  faults: Record<string, unknown>;
  /** Simulator-only: the device starts out trusting this host (default true). */
  paired: boolean;
  /** Simulator-only: what happens when a host asks to pair. */
  trust: TrustBehaviour;
  /** Simulator-only: false keeps the device unplugged until the scenario file says otherwise. */
  attached: boolean;
  connectionType: 'USB' | 'Network';
  wifiAddress: string;
}

/** A whole scenario: the devices the virtual usbmuxd serves. */
export interface Scenario {
  devices: SimulatedDeviceSpec[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fail(path: string, expected: string): never {
  throw new UsageError(`Scenario field ${path} must be ${expected}.`);
}

function field<T>(obj: { [k: string]: Json }, key: string, path: string, check: (v: Json) => v is Json, expected: string, fallback: T): T {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (!check(v)) fail(`${path}.${key}`, expected);
  return v as unknown as T;
}

const isString = (v: Json): v is string => typeof v === 'string';
const isBool = (v: Json): v is boolean => typeof v === 'boolean';
const isNonNegInt = (v: Json): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
/** Real keybags use these counts. */
const REAL_KEYBAG_ITERATIONS: KeybagIterations = { sha256: DEFAULT_SHA256_ITERATIONS, sha1: DEFAULT_SHA1_ITERATIONS };
/** Each keybag stage has its own cap, the one parseKeybag enforces, so a simulated keybag always reads back. */
const isIterationCountUpTo = (max: number) => (v: Json): v is number => isNonNegInt(v) && v >= 1 && v <= max;
/** Highest dataset generation accepted; each generation costs a little work every time the dataset is built. */
export const MAX_DATASET_GENERATION = 10_000;
const isDatasetGeneration = (v: Json): v is number => isNonNegInt(v) && v <= MAX_DATASET_GENERATION;
const isObject = (v: Json): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A MAC-style address derived from the UDID so each device keeps the same one. */
function wifiAddressFor(udid: string): string {
  const hex = udid.replace(/[^0-9a-fA-F]/g, '').padEnd(12, '0').slice(-12).toLowerCase();
  return hex.match(/../g)!.join(':');
}

/** Validates one device entry and fills the defaults. */
function parseDevice(raw: Json, path: string): SimulatedDeviceSpec {
  if (!isObject(raw)) fail(path, 'an object');
  const udid = raw.udid;
  if (typeof udid !== 'string' || !/^[0-9A-Fa-f-]{24,40}$/.test(udid)) fail(`${path}.udid`, 'a UDID (24–40 hex digits and dashes)');
  const mdm = field<string>(raw, 'mdm', path, isString, '"enrolled" or "none"', 'none');
  if (mdm !== 'enrolled' && mdm !== 'none') fail(`${path}.mdm`, '"enrolled" or "none"');
  const password = raw.backupPassword;
  if (password !== undefined && password !== null && (typeof password !== 'string' || password === '')) fail(`${path}.backupPassword`, 'null or a non-empty string');
  const datasetRaw = raw.dataset ?? {};
  if (!isObject(datasetRaw)) fail(`${path}.dataset`, 'an object');
  const dataset: DatasetSpec = {
    files: field(datasetRaw, 'files', `${path}.dataset`, isNonNegInt, 'a whole number ≥ 0', 200),
    totalBytes: field(datasetRaw, 'totalBytes', `${path}.dataset`, isNonNegInt, 'a whole number ≥ 0', 2_000_000),
    seed: field(datasetRaw, 'seed', `${path}.dataset`, isNonNegInt, 'a whole number ≥ 0', 1),
    generation: field(datasetRaw, 'generation', `${path}.dataset`, isDatasetGeneration, `a whole number from 0 to ${MAX_DATASET_GENERATION}`, 0),
  };
  const faults = raw.faults ?? {};
  if (!isObject(faults)) fail(`${path}.faults`, 'an object');
  const trustRaw = raw.trust ?? {};
  if (!isObject(trustRaw)) fail(`${path}.trust`, 'an object');
  const response = field<string>(trustRaw, 'response', `${path}.trust`, isString, '"trust", "deny" or "locked"', 'trust');
  if (response !== 'trust' && response !== 'deny' && response !== 'locked') fail(`${path}.trust.response`, '"trust", "deny" or "locked"');
  const iterationsRaw = raw.keybagIterations ?? {};
  if (!isObject(iterationsRaw)) fail(`${path}.keybagIterations`, 'an object');
  const iterationsUpTo = (max: number): string => `a whole number from 1 to ${max}`;
  const keybagIterations: KeybagIterations = {
    sha256: field(iterationsRaw, 'sha256', `${path}.keybagIterations`, isIterationCountUpTo(KEYBAG_MAX_SHA256_ITERATIONS), iterationsUpTo(KEYBAG_MAX_SHA256_ITERATIONS), REAL_KEYBAG_ITERATIONS.sha256),
    sha1: field(iterationsRaw, 'sha1', `${path}.keybagIterations`, isIterationCountUpTo(KEYBAG_MAX_SHA1_ITERATIONS), iterationsUpTo(KEYBAG_MAX_SHA1_ITERATIONS), REAL_KEYBAG_ITERATIONS.sha1),
  };
  const connectionType = field<string>(raw, 'connectionType', path, isString, '"USB" or "Network"', 'USB');
  if (connectionType !== 'USB' && connectionType !== 'Network') fail(`${path}.connectionType`, '"USB" or "Network"');
  return {
    udid,
    name: field(raw, 'name', path, isString, 'a string', 'iPhone'),
    productType: field(raw, 'productType', path, isString, 'a string such as "iPhone14,5"', 'iPhone14,5'),
    productVersion: field(raw, 'productVersion', path, (v): v is string => isString(v) && /^\d+(\.\d+){0,2}$/.test(v), 'a version such as "16.1"', '16.1'),
    buildVersion: field(raw, 'buildVersion', path, isString, 'a string', '20B82'),
    serialNumber: field(raw, 'serialNumber', path, isString, 'a string', 'F2LSIM000001'),
    deviceClass: field(raw, 'deviceClass', path, isString, 'a string', 'iPhone'),
    supervised: field(raw, 'supervised', path, isBool, 'true or false', false),
    mdm,
    organizationName: field(raw, 'organizationName', path, isString, 'a string', 'Example Corp'),
    findMy: field(raw, 'findMy', path, isBool, 'true or false', false),
    setupDone: field(raw, 'setupDone', path, isBool, 'true or false', true),
    backupPassword: password ?? null,
    resetAllSettingsQuirk: field(raw, 'resetAllSettingsQuirk', path, isBool, 'true or false', false),
    keybagIterations,
    dataset,
    faults,
    paired: field(raw, 'paired', path, isBool, 'true or false', true),
    trust: { response, delayMs: field(trustRaw, 'delayMs', `${path}.trust`, isNonNegInt, 'a whole number of milliseconds', 0) },
    attached: field(raw, 'attached', path, isBool, 'true or false', true),
    connectionType,
    wifiAddress: field(raw, 'wifiAddress', path, isString, 'a string', wifiAddressFor(udid)),
    ...parseRestoreScenarioFields(raw, path),
  };
}

/** Validates scenario JSON (already parsed) and fills defaults; errors name the exact field. */
export function parseScenario(raw: unknown): Scenario {
  const json = raw as Json;
  if (!isObject(json) || !Array.isArray(json.devices)) fail('devices', 'an array of devices');
  const devices = json.devices.map((d, i) => parseDevice(d, `devices[${i}]`));
  const seen = new Set<string>();
  for (const d of devices) {
    if (seen.has(d.udid)) throw new UsageError(`Scenario lists UDID ${d.udid} twice.`);
    seen.add(d.udid);
  }
  return { devices };
}

/** Reads and validates a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(fileSystemErrorSentence(err, 'read', `the scenario file ${path}`));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`The scenario file ${path} is not valid JSON: ${(err as Error).message}.`);
  }
  return parseScenario(raw);
}

/** The two demo devices served when no scenario is given: an MDM-enrolled source and a supervised replacement. */
export function demoScenario(): Scenario {
  return parseScenario({
    devices: [
      {
        udid: '00008110-000A1B2C3D4E801E', name: 'Support iPhone', productType: 'iPhone14,5', productVersion: '16.1',
        buildVersion: '20B82', serialNumber: 'F2LSIM0A1B2C', supervised: false, mdm: 'enrolled', findMy: false,
        backupPassword: null, dataset: { files: 300, totalBytes: 5_000_000, seed: 1 },
      },
      {
        udid: '00008120-001C2D3E4F5A602E', name: 'Replacement iPhone', productType: 'iPhone15,4', productVersion: '17.2',
        buildVersion: '21C62', serialNumber: 'G3MSIM1C2D3E', supervised: true, mdm: 'enrolled', findMy: false,
        backupPassword: null, dataset: { files: 100, totalBytes: 1_000_000, seed: 2 },
      },
    ],
  });
}
