import type { CancellationTokenLike } from '../../common/cancellation';
import { throwIfCancelled } from '../../common/cancellation';
import { BackupError } from '../../common/errors';
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import type { UsbmuxClient } from '../../usbmux/usbmuxClient';
import { unlockEncryptedBackup } from '../crypto/encryptedBackupSource';
import { ManifestDb } from '../format/manifestDb';
import { isManifestEncrypted, readManifestPlist } from '../format/manifestPlist';
import { runBackup, type BackupRunResult } from '../engine/backupEngine';
import { changeBackupEncryption } from './backupEncryption';
import type { BackupProgress } from '../engine/backupProgress';

/** The steps of the workaround for "the password could not be set", in order. */
export type RecoveryStep = 'unencrypted-backup' | 'set-password' | 'encrypted-backup' | 'verify';

/** What the workaround produced: the encrypted backup and the proof that the password opens it. */
export interface RecoveryResult {
  unencryptedBackup: BackupRunResult;
  encryptedBackup: BackupRunResult;
  /** Manifest.db entries read with the password from the encrypted backup. */
  verifiedEntries: number;
}

/**
 * Carries out the documented workaround for "the password could not be set": complete an
 * unencrypted backup, set the same password again, make the encrypted backup, and prove that the
 * password opens it. Each step is announced first, so the user sees what is being done and why.
 */
export async function recoverPasswordCouldNotBeSet(options: {
  mux: UsbmuxClient;
  udid: string;
  root: string;
  password: string;
  token?: CancellationTokenLike;
  logger?: Logger;
  onStep?: (step: RecoveryStep) => void;
  onProgress?: (progress: BackupProgress) => void;
  onNotice?: (text: string) => void;
}): Promise<RecoveryResult> {
  const logger = (options.logger ?? silentLogger).child('password-recovery');
  const backup = (full: boolean) =>
    runBackup({ mux: options.mux, udid: options.udid, root: options.root, full, token: options.token, logger, onProgress: options.onProgress, onNotice: options.onNotice });

  options.onStep?.('unencrypted-backup');
  const unencryptedBackup = await backup(false);
  throwIfCancelled(options.token, 'The password recovery');

  options.onStep?.('set-password');
  await changeBackupEncryption(options.mux, options.udid, { kind: 'on', newPassword: options.password }, { logger, onNotice: options.onNotice });
  throwIfCancelled(options.token, 'The password recovery');

  // Everything must be re-sent encrypted, so the first encrypted backup is a full one.
  options.onStep?.('encrypted-backup');
  const encryptedBackup = await backup(true);

  options.onStep?.('verify');
  if (!isManifestEncrypted(await readManifestPlist(encryptedBackup.backupDir))) {
    throw new BackupError(`The backup in ${encryptedBackup.backupDir} is not encrypted although the device accepted the password.`, 'backup.recovery-not-encrypted');
  }
  const unlocked = await unlockEncryptedBackup(encryptedBackup.backupDir, options.password);
  const db = await ManifestDb.open(await unlocked.source.readManifestDb(), { origin: encryptedBackup.backupDir, handOver: true });
  let verifiedEntries: number;
  try {
    verifiedEntries = await db.count();
  } finally {
    db.close();
  }
  logger.info('encrypted backup verified', { entries: verifiedEntries });
  return { unencryptedBackup, encryptedBackup, verifiedEntries };
}
