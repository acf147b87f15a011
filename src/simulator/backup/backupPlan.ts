import { BackupError } from '../../common/errors';
import { isFileId } from '../../backup/format/fileId';
import { MANIFEST_FLAGS, ManifestDb } from '../../backup/format/manifestDb';
import { parseManifestPlist, type ManifestPlist } from '../../backup/format/manifestPlist';
import { decodeMbFile } from '../../backup/format/mbFile';
import { isSnapshotFinished, parseStatusPlist } from '../../backup/format/statusPlist';
import type { DatasetEntry, SimulatedDataset } from '../dataset/simulatedDataset';
import { PLAIN_BACKUP_PROTECTION, type BackupProtection } from './backupProtection';
import { BackupRequestFailure, MB_ERROR } from './mobileBackupErrors';
import type { DownloadedFile, PreviousBackupFile } from './previousBackupDownload';

/** What the device knows about a file in the host's previous backup (from its Manifest.db). */
export interface PreviousFile {
  size: number;
  lastModified: number | undefined;
  /** The MBFile EncryptionKey (encrypted backups): a file not sent again keeps it. */
  encryptionKey?: Buffer;
}

/** The host's previous backup, when the device can build on it. */
export interface PreviousBackup {
  uuid: string;
  /** fileID → metadata, regular files only. */
  files: Map<string, PreviousFile>;
}

/** Full or incremental, and why. */
export type PreviousBackupAssessment = { usable: true; previous: PreviousBackup } | { usable: false; reason: string };

/** What one Backup request sends and deletes. */
export interface BackupPlan {
  mode: 'full' | 'incremental';
  /** Why a full backup was chosen, or which backup the increment builds on. */
  reason: string;
  /** Dataset files to upload. */
  uploads: DatasetEntry[];
  /** fileIDs of hashed files in the host's backup that are no longer on the device. */
  removals: string[];
  /** EncryptionKeys of the files the host keeps from the previous (encrypted) backup, by fileID. */
  keptEncryptionKeys: Map<string, Buffer>;
}

/**
 * Decides whether the host's previous backup can be the base of an incremental one: it must have
 * finished, be one this device made (its Status.plist UUID is in the device's records), be
 * protected as this backup will be (the protection reads its Manifest.db: plain, or encrypted
 * with the device's current keybag) and have a readable Manifest.db. A Manifest.plist the host serves empty or broken ends the request with
 * 205, as a real device does (lid#1582).
 */
export async function assessPreviousBackup(
  downloads: Map<PreviousBackupFile, DownloadedFile>,
  knownBackupUuids: ReadonlySet<string>,
  protection: Pick<BackupProtection, 'openPreviousManifestDb'> = PLAIN_BACKUP_PROTECTION,
): Promise<PreviousBackupAssessment> {
  const status = downloads.get('Status.plist');
  if (!status || status.status !== 'present') return { usable: false, reason: 'the host has no previous backup (no Status.plist)' };
  let snapshot;
  try {
    snapshot = parseStatusPlist(status.bytes);
  } catch {
    return { usable: false, reason: "the host's Status.plist is unreadable" };
  }
  if (!isSnapshotFinished(snapshot)) return { usable: false, reason: `the previous backup did not finish (SnapshotState ${snapshot.snapshotState ?? 'missing'})` };
  if (!snapshot.uuid || !knownBackupUuids.has(snapshot.uuid)) return { usable: false, reason: 'the previous backup was not made by this device' };
  const manifestPlist = downloads.get('Manifest.plist');
  let manifest: ManifestPlist;
  if (manifestPlist?.status === 'present' || manifestPlist?.status === 'too-large') {
    try {
      if (manifestPlist.status === 'too-large') throw new BackupError('Manifest.plist is too large.', 'backup.plist-unreadable');
      manifest = parseManifestPlist(manifestPlist.bytes);
    } catch {
      throw new BackupRequestFailure(MB_ERROR.BackupPropertiesUnreadable, 'Error reading backup properties', 'Manifest.plist');
    }
  } else {
    return { usable: false, reason: 'the host has no Manifest.plist' };
  }
  const manifestDb = downloads.get('Manifest.db');
  if (!manifestDb || manifestDb.status !== 'present') return { usable: false, reason: 'the host has no readable Manifest.db' };
  const opened = protection.openPreviousManifestDb(manifest, manifestDb.bytes);
  if ('reason' in opened) return { usable: false, reason: opened.reason };
  const files = await readPreviousFiles(opened.manifestDb);
  if (!files) return { usable: false, reason: "the host's Manifest.db is unreadable" };
  return { usable: true, previous: { uuid: snapshot.uuid, files } };
}

async function readPreviousFiles(bytes: Buffer): Promise<Map<string, PreviousFile> | undefined> {
  let db: ManifestDb;
  try {
    db = await ManifestDb.open(bytes);
  } catch {
    return undefined;
  }
  try {
    const files = new Map<string, PreviousFile>();
    for await (const row of db.iterateEntries({ flags: MANIFEST_FLAGS.file })) {
      if (!row.file) continue;
      try {
        const record = decodeMbFile(row.file);
        files.set(row.fileID, { size: record.size, lastModified: record.lastModified, encryptionKey: record.encryptionKey });
      } catch {
        // A row the device cannot read is simply not a base: that file is sent again.
      }
    }
    return files;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

/** Every dataset file for a full backup; only changed or new files (and the removals) for an incremental one. */
export function planBackup(dataset: SimulatedDataset, assessment: PreviousBackupAssessment): BackupPlan {
  const files = dataset.files();
  if (!assessment.usable) return { mode: 'full', reason: assessment.reason, uploads: files, removals: [], keptEncryptionKeys: new Map() };
  const { previous } = assessment;
  const uploads = files.filter((file) => {
    const before = previous.files.get(file.fileID);
    return !before || before.size !== file.size || before.lastModified !== file.lastModified;
  });
  const current = new Set(files.map((f) => f.fileID));
  // fileIDs come from the host's database; only well-formed ones may become paths in device requests.
  const removals = [...previous.files.keys()].filter((id) => !current.has(id) && isFileId(id));
  const sent = new Set(uploads.map((f) => f.fileID));
  const keptEncryptionKeys = new Map<string, Buffer>();
  for (const file of files) {
    const key = previous.files.get(file.fileID)?.encryptionKey;
    if (key && !sent.has(file.fileID)) keptEncryptionKeys.set(file.fileID, key);
  }
  return { mode: 'incremental', reason: `building on backup ${previous.uuid}`, uploads, removals, keptEncryptionKeys };
}
