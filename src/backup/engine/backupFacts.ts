import * as path from 'node:path';
import type { DeviceFacts } from '../../device/deviceFacts';
import { readRegularFile } from '../format/regularFile';
import { writeFreshFile } from './freshFile';

/** The sidecar file in `<root>/<udid>/` with the source device's facts at backup time. */
export const BACKUP_FACTS_FILE = 'iosbr-backup-facts.json';

/**
 * The source device's facts when the backup was taken, for the restore-compatibility evaluator
 * (Info.plist has no supervision, MDM or encryption state). null = unknown at backup time.
 */
export interface BackupFactsRecord {
  formatVersion: 1;
  /** When the backup finished (ISO 8601). */
  recordedAt: string;
  udid: string;
  deviceName: string | null;
  productType: string | null;
  iosVersion: string | null;
  buildVersion: string | null;
  supervised: boolean | null;
  mdmEnrolled: boolean | null;
  organizationName: string | null;
  /** Backups of this device are encrypted (WillEncrypt). */
  backupEncryption: boolean | null;
  findMy: boolean | null;
}

/** The sidecar record for facts read from the device. */
export function backupFactsFromDevice(facts: DeviceFacts, recordedAt: Date): BackupFactsRecord {
  return {
    formatVersion: 1,
    recordedAt: recordedAt.toISOString(),
    udid: facts.udid,
    deviceName: facts.name ?? null,
    productType: facts.productType ?? null,
    iosVersion: facts.iosVersion ?? null,
    buildVersion: facts.buildVersion ?? null,
    supervised: facts.supervised ?? null,
    mdmEnrolled: facts.mdm === undefined ? null : facts.mdm === 'enrolled',
    organizationName: facts.organizationName ?? null,
    backupEncryption: facts.backupEncryption ?? null,
    findMy: facts.findMy ?? null,
  };
}

/** Writes the sidecar into a backup folder (as a fresh file). */
export async function writeBackupFacts(backupDir: string, record: BackupFactsRecord): Promise<void> {
  await writeFreshFile(path.join(backupDir, BACKUP_FACTS_FILE), Buffer.from(JSON.stringify(record, null, 2) + '\n', 'utf8'));
}

/** The sidecar is a few hundred bytes; a larger file in its place is not ours. */
const BACKUP_FACTS_MAX_BYTES = 64 * 1024;

/**
 * The sidecar's text, read as a regular file of the (untrusted) backup folder: no symlink followed, and a
 * FIFO in its place is refused at once instead of blocking. Rejects with a RegularFileError.
 */
export async function readBackupFactsText(backupDir: string): Promise<string> {
  return (await readRegularFile(path.join(backupDir, BACKUP_FACTS_FILE), BACKUP_FACTS_MAX_BYTES, { describe: BACKUP_FACTS_FILE })).toString('utf8');
}

/** Reads a backup folder's sidecar; undefined when it is missing or not a valid record. */
export async function readBackupFacts(backupDir: string): Promise<BackupFactsRecord | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readBackupFactsText(backupDir));
  } catch {
    return undefined;
  }
  return isBackupFactsRecord(raw) ? raw : undefined;
}

const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';
const nullableBoolean = (v: unknown): boolean => v === null || typeof v === 'boolean';

/** True when a parsed JSON value has the sidecar's shape. */
export function isBackupFactsRecord(value: unknown): value is BackupFactsRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r.formatVersion === 1 &&
    typeof r.recordedAt === 'string' &&
    typeof r.udid === 'string' &&
    [r.deviceName, r.productType, r.iosVersion, r.buildVersion, r.organizationName].every(nullableString) &&
    [r.supervised, r.mdmEnrolled, r.backupEncryption, r.findMy].every(nullableBoolean)
  );
}
