import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isIosVersion } from '../common/iosVersion';
import { isCancelledError } from '../common/errors';
import { checkBackupPassword, isKeybagCorruptError } from '../backup/crypto';
import { IN_PROGRESS_MARKER } from '../backup/format/backupFolder';
import { isManifestEncrypted, readManifestPlist, type ManifestPlist } from '../backup/format/manifestPlist';
import { readStatusPlist, STATUS_PLIST_FILE } from '../backup/format/statusPlist';
import type { PasswordOutcome } from '../backup/inspect/backupInspection';
import { verifyBackup } from '../backup/verify/verifyBackup';
import type { BackupHealthOutcome, BackupPasswordOutcome, BackupPreflightFacts } from './restorePreflightFacts';
import { REQUIRED_BACKUP_FILES } from '../backup/inspect/backupCompleteness';
import { readBackupSourceFacts, type BackupSourceFacts } from './sourceFactsFromBackup';
import { prepareBackupUnlocker, type BackupUnlocker } from '../backup/crypto/encryptedBackupSource';
import { errorMessageForPeople } from '../common/fileSystemErrorText';


/**
 * Reads what the restore checks need from a backup folder, on this computer only: which required
 * files are missing or empty, Status.plist's SnapshotState, whether it is encrypted, and, together,
 * the backup's inspection (its device, size, management state: the source facts of the compatibility
 * rules; and whether the password opens it, the slow key derivation running off the main thread) and
 * the quick health check. A folder that is not a backup at all is a UsageError.
 */
export async function readBackupPreflightFacts(backupDir: string, password: string | undefined, options: { signal?: AbortSignal } = {}): Promise<BackupPreflightFacts> {
  const missingFiles: string[] = [];
  const emptyFiles: string[] = [];
  for (const name of REQUIRED_BACKUP_FILES) {
    const size = await fileSize(path.join(backupDir, name));
    if (size === undefined) missingFiles.push(name);
    else if (size === 0) emptyFiles.push(name);
  }

  const backupInterrupted = (await fileSize(path.join(backupDir, IN_PROGRESS_MARKER))) !== undefined;
  let snapshotState: string | undefined;
  let statusProblem: string | undefined;
  if (!missingFiles.includes(STATUS_PLIST_FILE) && !emptyFiles.includes(STATUS_PLIST_FILE)) {
    try {
      snapshotState = (await readStatusPlist(backupDir)).snapshotState;
    } catch (err) {
      statusProblem = errorMessageForPeople(err);
    }
  }

  let manifest: ManifestPlist | undefined;
  let manifestProblem: string | undefined;
  try {
    manifest = await readManifestPlist(backupDir);
  } catch (err) {
    manifestProblem = errorMessageForPeople(err);
  }
  const encrypted = manifest === undefined ? undefined : isManifestEncrypted(manifest);

  // The inspection and the quick health check both open an encrypted backup: the password is derived once
  // (the slow step) and each gets its own unlocked copy; the inspection's outcome answers the password check.
  const given = password ? password : undefined;
  const unlocker = encrypted === true && given !== undefined ? await prepareBackupUnlocker(backupDir, given, options.signal) : undefined;
  let source: BackupSourceFacts;
  let health: BackupHealthOutcome;
  try {
    [source, health] = await Promise.all([
      readBackupSourceFacts(backupDir, { password: given, unlocker, signal: options.signal }),
      quickHealth(backupDir, given, unlocker, options.signal),
    ]);
  } finally {
    unlocker?.wipe();
  }
  const device = source.inspection.device;
  let passwordState: BackupPasswordOutcome = manifestProblem !== undefined ? { kind: 'unknown', reason: manifestProblem } : { kind: 'not-needed' };
  if (manifest && encrypted) {
    // When the inspection did not get as far as the keybag (no Manifest.db, a damaged keybag), the keybag alone answers.
    passwordState = passwordFromInspection(source.inspection.passwordOutcome) ?? (await passwordOutcome(manifest, given, options.signal));
  }

  const facts: BackupPreflightFacts = {
    backupDir,
    missingFiles,
    emptyFiles,
    backupInterrupted,
    password: passwordState,
    sizeBytes: source.inspection.totalBytes,
    source: source.slots,
    health,
  };
  if (device.udid !== null) facts.udid = device.udid;
  // The rules compare versions numerically; a malformed one is shown as unknown (its slot says why).
  if (device.iosVersion !== null && isIosVersion(device.iosVersion)) facts.iosVersion = device.iosVersion;
  if (device.name !== null) facts.deviceName = device.name;
  if (snapshotState !== undefined) facts.snapshotState = snapshotState;
  if (statusProblem !== undefined) facts.statusProblem = statusProblem;
  if (encrypted !== undefined) facts.encrypted = encrypted;
  return facts;
}

/** The cheap part of the health check (plists agree, Status finished, Manifest.db opens); never throws but for a cancellation. */
async function quickHealth(backupDir: string, password: string | undefined, unlocker: BackupUnlocker | undefined, signal: AbortSignal | undefined): Promise<BackupHealthOutcome> {
  try {
    return { kind: 'checked', health: await verifyBackup(backupDir, { level: 'quick', password, unlocker, signal }) };
  } catch (err) {
    if (isCancelledError(err)) throw err;
    return { kind: 'not-checked', reason: errorMessageForPeople(err) };
  }
}

/** The password check's outcome as the inspection found it; undefined when it did not try the keybag. */
function passwordFromInspection(outcome: PasswordOutcome): BackupPasswordOutcome | undefined {
  switch (outcome) {
    case 'opens':
      return { kind: 'correct' };
    case 'refused':
      return { kind: 'wrong' };
    case 'not-given':
      return { kind: 'missing' };
    default:
      return undefined;
  }
}

/** Checks the password against the keybag on this computer; the password itself never leaves this function. */
async function passwordOutcome(manifest: ManifestPlist, password: string | undefined, signal: AbortSignal | undefined): Promise<BackupPasswordOutcome> {
  if (!manifest.backupKeyBag) return { kind: 'keybag-unreadable', reason: 'Manifest.plist has no BackupKeyBag' };
  if (password === undefined || password === '') return { kind: 'missing' };
  try {
    return (await checkBackupPassword(manifest.backupKeyBag, password, { signal })) ? { kind: 'correct' } : { kind: 'wrong' };
  } catch (err) {
    if (isKeybagCorruptError(err)) return { kind: 'keybag-unreadable', reason: err.detail };
    throw err;
  }
}

/** Size of a regular file, or undefined when there is none (a folder or a missing path). */
async function fileSize(file: string): Promise<number | undefined> {
  try {
    const stats = await fs.stat(file);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
}
