import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkBackupPassword, isKeybagCorruptError, parseKeybag, type BackupKeybag } from '../../backup/crypto';
import { isManifestEncrypted, MANIFEST_PLIST_FILE, readManifestPlist, type ManifestPlist } from '../../backup/format/manifestPlist';
import { BackupError } from '../../common/errors';
import { fileSystemErrorReason } from '../../common/fileSystemErrorText';
import { backupFolderFromArgs } from '../backupArgs';
import { command } from '../context';
import { forgottenPasswordGuidance, requiredBackupPassword } from '../passwords';
import { EXIT_FAILED, EXIT_OK } from '../presentError';

/**
 * `verify-password <backupDir>`: exit 0 when the password opens the encrypted backup, 1 when not.
 *
 * The answer comes from Manifest.plist's keybag alone (one unwrap with the derived password key), so a
 * folder holding only Manifest.plist is enough: customers often send just that file, and a damaged
 * Manifest.db must not make a right password look wrong. Both derivations are covered: one PBKDF2-SHA1
 * stage before iOS 10.2, and a PBKDF2-SHA256 stage (DPSL/DPIC) before it from iOS 10.2 on.
 */
export const verifyPasswordCommand = command({
  usage: 'verify-password <backupDir> [--password-stdin] [--json]',
  summary: "check that a password opens an encrypted backup, from Manifest.plist's keybag alone (IOSBR_PASSWORD or --password-stdin)",
  async run(ctx) {
    const backupDir = backupFolderFromArgs(ctx.args);
    // Everything that does not need the password is checked first, so nobody types it for a folder that cannot answer.
    await requireBackupFolder(backupDir);
    const manifest = await readManifestPlist(backupDir);
    const keybag = passwordKeybag(manifest, backupDir);
    const password = await requiredBackupPassword(ctx);
    let correct: boolean;
    try {
      // Ctrl-C stops the derivation's worker (seconds of PBKDF2 on real keybags).
      correct = await checkBackupPassword(keybag, password, { signal: ctx.signal });
    } catch (err) {
      throw isKeybagCorruptError(err) ? corruptKeybag(backupDir, err.detail, err) : err;
    }
    if (ctx.json) ctx.out(JSON.stringify({ backupDir, passwordCorrect: correct }) + '\n');
    if (!correct) {
      ctx.note('The password does not open this backup.');
      ctx.note(forgottenPasswordGuidance(ctx.env));
      return EXIT_FAILED;
    }
    if (!ctx.json) ctx.out(`The password opens the backup${ofDevice(manifest)}.\n`);
    return EXIT_OK;
  },
});

/** Refuses a path that is not a folder before anything is read, saying what it is instead. */
async function requireBackupFolder(backupDir: string): Promise<void> {
  let stats;
  try {
    stats = await fs.stat(backupDir);
  } catch (cause) {
    throw new BackupError(`Cannot read the backup at ${backupDir} because ${fileSystemErrorReason(cause)}.`, 'backup.folder-unreadable', undefined, { cause });
  }
  if (stats.isDirectory()) return;
  // Someone handed only the customer's Manifest.plist: say what to give instead.
  const hint = path.basename(backupDir) === MANIFEST_PLIST_FILE ? ` Give the folder that holds it: ${path.dirname(backupDir)}.` : '';
  throw new BackupError(`Cannot read the backup at ${backupDir} because it is a file, not a backup folder.${hint}`, 'backup.folder-unreadable');
}

/** The parsed keybag of an encrypted backup's Manifest.plist, or a sentence saying why there is none to check. */
function passwordKeybag(manifest: ManifestPlist, backupDir: string): BackupKeybag {
  if (!isManifestEncrypted(manifest)) {
    throw new BackupError(`The backup at ${backupDir} is not encrypted (its Manifest.plist says so), so it has no password to verify.`, 'backup.not-encrypted');
  }
  if (manifest.backupKeyBag === undefined) {
    throw new BackupError(
      `The backup at ${backupDir} is marked encrypted but its Manifest.plist has no BackupKeyBag, so no password can be checked against it.`,
      'backup.keybag-missing',
    );
  }
  try {
    return parseKeybag(manifest.backupKeyBag);
  } catch (err) {
    if (isKeybagCorruptError(err)) throw corruptKeybag(backupDir, err.detail, err);
    throw err;
  }
}

function corruptKeybag(backupDir: string, detail: string, cause: unknown): BackupError {
  return new BackupError(
    `The password cannot be checked because the keybag in the Manifest.plist of ${backupDir} is corrupt: ${detail}.`,
    'backup.keybag-corrupt',
    undefined,
    { cause },
  );
}

const DEVICE_NAME_SHOWN = 100;

/** " of <device name> (<date>)" from Manifest.plist, as far as it says. */
function ofDevice(manifest: ManifestPlist): string {
  // The name comes from an untrusted file: no control characters (they would garble the terminal) and a bounded length.
  const name = manifest.lockdown?.deviceName?.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, DEVICE_NAME_SHOWN);
  const date = manifest.date !== undefined && !Number.isNaN(manifest.date.getTime()) ? manifest.date.toISOString().slice(0, 10) : undefined;
  if (name === undefined) return date === undefined ? '' : ` made on ${date}`;
  return date === undefined ? ` of ${name}` : ` of ${name} made on ${date}`;
}
