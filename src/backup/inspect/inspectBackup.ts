import * as path from 'node:path';
import { CancelledError, isCancelledError } from '../../common/errors';
import { marketingName } from '../../lockdown/productNames';
import { isWrongPasswordError } from '../crypto';
import { unlockEncryptedBackup, type BackupUnlocker } from '../crypto/encryptedBackupSource';
import { folderSizeBytes } from '../format/backupFolder';
import { BackupReader, plainBackupSource } from '../format/backupReader';
import { INFO_PLIST_FILE, type InfoPlist } from '../format/infoPlist';
import { MANIFEST_DB_FILE } from '../format/manifestDb';
import { MANIFEST_PLIST_FILE, isManifestEncrypted, type ManifestPlist } from '../format/manifestPlist';
import { readFolderPlists } from '../format/readFolderPlists';
import { STATUS_PLIST_FILE } from '../format/statusPlist';
import { backupApps } from './backupApps';
import { notABackupError, requireFolder } from './backupFolderCheck';
import { REQUIRED_BACKUP_FILES, incompleteReasons, requiredFileState, type RequiredFileState, type StatusReading } from './backupCompleteness';
import type { BackupInspection, DomainSize, InspectedDevice, PasswordOutcome } from './backupInspection';
import { readBackupManagement, unknownManagement, type BackupManagement } from './backupManagement';
import { recordedBackupUdid, sameUdid } from '../format/backupUdid';
import { largestDomains } from './largestDomains';
import { displayString } from './displayString';
import { errorMessageForPeople } from '../../common/fileSystemErrorText';

/** How {@link inspectBackup} reads an encrypted backup and when it stops. */
export interface InspectBackupOptions {
  /** The backup password; used only when the backup is encrypted. */
  password?: string;
  /** The password already derived by the caller for several readers; used instead of `password`. */
  unlocker?: BackupUnlocker;
  /** Aborting stops the inspection with a CancelledError. */
  signal?: AbortSignal;
}

/** Longest device name shown. */
const MAX_NAME_CHARS = 256;
/** Longest model, version, build or serial number shown (real ones are under 20 characters). */
const MAX_VALUE_CHARS = 64;
const OPERATION = 'Inspecting the backup';

/**
 * What a backup is: the device it came from, when, encrypted or not, complete or why not, its size, apps,
 * largest domains and management state, read from the backup's own files (never from a file of ours).
 * A damaged part becomes a sentence in `problems` and null fields; only a folder that is not a backup at
 * all (no readable Info.plist, Manifest.plist or Manifest.db) is refused, with a UsageError. An encrypted
 * backup's file list and management state need its password; without it (or with a wrong one) they are
 * empty and unknown, and `problems` says why.
 */
export async function inspectBackup(backupDir: string, options: InspectBackupOptions = {}): Promise<BackupInspection> {
  const { signal } = options;
  await requireFolder(backupDir);
  const problems: string[] = [];
  const files = new Map<string, RequiredFileState>();
  for (const fileName of REQUIRED_BACKUP_FILES) files.set(fileName, await requiredFileState(backupDir, fileName));
  const present = (fileName: string): boolean => files.get(fileName)?.present === true;
  // A missing or empty file is already an incomplete reason; only a file that is there can fail to parse.
  const { info, manifest, status } = await readFolderPlists(
    backupDir,
    (_fileName, err) => {
      if (isCancelledError(err)) throw err;
      problems.push(messageOf(err));
    },
    present,
  );
  if (info === undefined && manifest === undefined && !present(MANIFEST_DB_FILE)) {
    throw notABackupError(backupDir);
  }
  throwIfAborted(signal);

  const device = inspectedDevice(backupDir, info, manifest, problems);
  const statusReading: StatusReading | undefined = status !== undefined
    ? { status }
    : present(STATUS_PLIST_FILE)
      ? { unreadable: `${STATUS_PLIST_FILE} could not be read, so nothing says the device finished the backup.` }
      : undefined;
  const reasons = await incompleteReasons(backupDir, files, statusReading);
  const size = await folderSizeBytes(backupDir);
  problems.push(...size.problems);
  const apps = backupApps(info, manifest);
  problems.push(...apps.problems);
  throwIfAborted(signal);

  const encrypted = manifest === undefined ? null : isManifestEncrypted(manifest);
  const contents = await readContents(backupDir, encrypted, present(MANIFEST_DB_FILE), options, problems);

  return {
    backupDir,
    device,
    backupDate: isoDate(status?.date) ?? isoDate(manifest?.date) ?? isoDate(info?.lastBackupDate) ?? null,
    encrypted,
    passwordOutcome: contents.passwordOutcome,
    complete: reasons.length === 0,
    incompleteReasons: reasons,
    totalBytes: size.bytes,
    apps: { count: apps.count, items: apps.items },
    largestDomains: contents.largestDomains,
    management: contents.management,
    problems,
  };
}

/** The device fields, Info.plist first and Manifest.plist's Lockdown dictionary where Info.plist says nothing. */
function inspectedDevice(backupDir: string, info: InfoPlist | undefined, manifest: ManifestPlist | undefined, problems: string[]): InspectedDevice {
  const lockdown = manifest?.lockdown;
  const productType = firstShown(MAX_VALUE_CHARS, info?.productType, lockdown?.productType);
  const recorded = recordedBackupUdid(info, manifest);
  if (recorded === undefined) {
    problems.push(`No plist records the device's UDID (${INFO_PLIST_FILE} Unique Identifier or Target Identifier, ${MANIFEST_PLIST_FILE} Lockdown UniqueDeviceID); the folder name is not taken for it.`);
  } else {
    const folderName = path.basename(backupDir);
    if (!sameUdid(folderName, recorded.udid)) {
      problems.push(`The folder is named "${displayString(folderName, MAX_NAME_CHARS) ?? ''}" but the backup is of the device ${recorded.udid} (${recorded.recordedBy}); the plists are what counts.`);
    }
    const lockdownUdid = recordedBackupUdid(undefined, manifest);
    if (lockdownUdid !== undefined && !sameUdid(lockdownUdid.udid, recorded.udid)) {
      problems.push(`${recorded.recordedBy} is ${recorded.udid} but ${lockdownUdid.recordedBy} is ${lockdownUdid.udid}: the two plists describe different devices.`);
    }
  }
  return {
    name: firstShown(MAX_NAME_CHARS, info?.deviceName, info?.displayName, lockdown?.deviceName),
    productType,
    marketingName: productType === null ? null : (marketingName(productType) ?? null),
    iosVersion: firstShown(MAX_VALUE_CHARS, info?.productVersion, lockdown?.productVersion),
    buildVersion: firstShown(MAX_VALUE_CHARS, info?.buildVersion, lockdown?.buildVersion),
    udid: recorded?.udid ?? null,
    serialNumber: firstShown(MAX_VALUE_CHARS, info?.serialNumber, lockdown?.serialNumber),
  };
}

/** What Manifest.db and the files it lists tell: the largest domains and the management state. */
interface BackupContents {
  largestDomains: DomainSize[];
  management: BackupManagement;
  passwordOutcome: PasswordOutcome;
}

/**
 * Opens Manifest.db (decrypting it when the backup is encrypted and a password is given) and reads the
 * largest domains and the management state through it. What cannot be opened leaves both empty/unknown,
 * with the reason in `problems` and in the management detail.
 */
async function readContents(
  backupDir: string,
  encrypted: boolean | null,
  manifestDbPresent: boolean,
  options: InspectBackupOptions,
  problems: string[],
): Promise<BackupContents> {
  const untried: PasswordOutcome = encrypted === true ? null : encrypted === false ? 'not-needed' : null;
  const unknown = (detail: string, passwordOutcome: PasswordOutcome = untried): BackupContents => ({ largestDomains: [], management: unknownManagement(detail), passwordOutcome });
  if (!manifestDbPresent) {
    return unknown(`${MANIFEST_DB_FILE} is missing or empty, so the configuration-profile store cannot be found in the backup.`);
  }
  if (encrypted === true && options.password === undefined && options.unlocker === undefined) {
    problems.push('The backup is encrypted: its password is needed for the file list and the management state.');
    return unknown('The backup is encrypted and no password was given, so its configuration-profile store was not read.', 'not-given');
  }
  let reader: BackupReader;
  let passwordOutcome: PasswordOutcome = untried;
  try {
    let source = plainBackupSource(backupDir);
    if (encrypted === true) {
      source = (options.unlocker?.unlock() ?? (await unlockEncryptedBackup(backupDir, options.password as string, options.signal))).source;
      passwordOutcome = 'opens';
    }
    reader = await BackupReader.open(backupDir, source, options.signal);
  } catch (err) {
    if (isCancelledError(err)) throw err;
    if (isWrongPasswordError(err)) {
      problems.push('The password given does not open this backup, so its file list and management state were not read.');
      return unknown('The password given does not open the backup, so its configuration-profile store could not be decrypted.', 'refused');
    }
    problems.push(messageOf(err));
    return unknown(`${MANIFEST_DB_FILE} could not be read, so the configuration-profile store cannot be found in the backup.`, passwordOutcome);
  }
  try {
    let domains: DomainSize[] = [];
    try {
      const sizes = await largestDomains(reader);
      domains = sizes.domains;
      problems.push(...sizes.problems);
    } catch (err) {
      if (isCancelledError(err)) throw err;
      problems.push(`The largest domains could not be measured: ${messageOf(err)}`);
    }
    let management: BackupManagement;
    try {
      management = await readBackupManagement(reader, { signal: options.signal });
    } catch (err) {
      if (isCancelledError(err)) throw err;
      problems.push(messageOf(err));
      management = unknownManagement(`The configuration-profile store could not be read: ${messageOf(err)}`);
    }
    throwIfAborted(options.signal);
    return { largestDomains: domains, management, passwordOutcome };
  } finally {
    reader.close();
  }
}

/** The first value that is showable text, cut to `maxChars`. */
function firstShown(maxChars: number, ...values: (string | undefined)[]): string | null {
  for (const value of values) {
    const shown = displayString(value, maxChars);
    if (shown !== undefined) return shown;
  }
  return null;
}

/** ISO 8601 for a date a plist holds, or undefined for none or one outside what a Date can print. */
function isoDate(date: Date | undefined): string | undefined {
  return date !== undefined && Number.isFinite(date.getTime()) ? date.toISOString() : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError(OPERATION);
}

function messageOf(err: unknown): string {
  return errorMessageForPeople(err);
}
