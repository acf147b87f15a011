import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackupReader, type BackupEntry } from '../../backup/format/backupReader';
import { isEncryptedBackupError } from '../../backup/format/formatErrors';
import { readManifestPlist } from '../../backup/format/manifestPlist';
import { PLIST_UNREADABLE_CODE } from '../../backup/format/plistDocument';
import { isRegularFileError } from '../../backup/format/regularFile';
import { BackupError, isCancelledError } from '../../common/errors';
import { unlockEncryptedBackup } from '../../backup/crypto/encryptedBackupSource';
import { FORGOTTEN_PASSWORD_GUIDANCE } from '../../backup/encryptionSetting/forgottenPassword';
import { flagValue, hasFlag, requirePositional } from '../args';
import { langFromEnvironment } from '../cliLanguage';
import type { CliCommand, CliContext } from '../context';
import { StdinPasswords, takePassword } from '../passwords';

/** `ls <backupDir> [--domain D]`: lists the files of a backup. */
export const lsCommand: CliCommand = {
  name: 'ls',
  usage: 'ls <backupDir> [--domain D] [--password-stdin] [--json]',
  summary: 'list the files of a backup (domain, relative path, size)',
  flags: { values: ['domain'] },
  async run(ctx) {
    const backupDir = path.resolve(requirePositional(ctx.args, 0, 'the backup folder'));
    const reader = await openBackupReader(backupDir, ctx);
    try {
      const domain = flagValue(ctx.args, 'domain');
      if (ctx.json) {
        ctx.out(JSON.stringify((await reader.listEntries({ domain })).map(entryJson), null, 2) + '\n');
        return 0;
      }
      let count = 0;
      for await (const entry of reader.iterateEntries({ domain })) {
        ctx.out(entryLine(entry) + '\n');
        count++;
      }
      if (count === 0) ctx.note(domain ? `The backup has no files in the domain ${domain}.` : 'The backup lists no files.');
      return 0;
    } finally {
      reader.close();
    }
  },
};

/**
 * Opens a backup for reading. An encrypted one is unlocked with its password (IOSBR_PASSWORD or
 * --password-stdin) before anything is read or written; without a password the user is told how
 * to give it, and what to do when it is forgotten.
 */
export async function openBackupReader(backupDir: string, ctx: CliContext): Promise<BackupReader> {
  const isFolder = await fs.stat(backupDir).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw new BackupError(`Cannot read the backup at ${backupDir} because it is not a folder that exists.`, 'backup.folder-unreadable');
  try {
    return await BackupReader.open(backupDir, undefined, ctx.signal);
  } catch (err) {
    if (!isEncryptedBackupError(err)) throw await naming(backupDir, err);
  }
  let password: string;
  try {
    password = await takePassword({ fromStdin: hasFlag(ctx.args, 'password-stdin'), stdin: new StdinPasswords(ctx.stdin), env: ctx.env, envName: 'IOSBR_PASSWORD', line: 0 });
  } catch (err) {
    ctx.note(`The backup at ${backupDir} is encrypted.`);
    ctx.note(FORGOTTEN_PASSWORD_GUIDANCE[langFromEnvironment(ctx.env)].join('\n'));
    throw err;
  }
  const abort = new AbortController();
  ctx.signal.addEventListener('abort', () => abort.abort(), { once: true });
  const unlocked = await unlockEncryptedBackup(backupDir, password, abort.signal);
  return BackupReader.open(backupDir, unlocked.source, ctx.signal);
}

/**
 * The reader goes on to Manifest.db when Manifest.plist cannot be read (the database alone can list a
 * plain backup), so its failure names Manifest.db. When Manifest.plist is the damaged file, the
 * engineer must read that first: a sentence about Manifest.db alone would send them to the wrong file.
 */
async function naming(backupDir: string, databaseError: unknown): Promise<unknown> {
  if (!(databaseError instanceof BackupError) || isCancelledError(databaseError)) return databaseError;
  try {
    await readManifestPlist(backupDir);
    return databaseError;
  } catch (plistError) {
    if (!(plistError instanceof BackupError) || plistError.code !== PLIST_UNREADABLE_CODE) return databaseError;
    if (isMissing(plistError.cause) && isMissing(databaseError)) {
      return new BackupError(
        `Cannot read the backup at ${backupDir} because it holds neither Manifest.plist nor Manifest.db; a backup folder is the one named by the device's UDID.`,
        'backup.folder-unreadable',
      );
    }
    const second = databaseError.message.charAt(0).toLowerCase() + databaseError.message.slice(1);
    return new BackupError(
      `${plistError.message.replace(/\.$/, '')}, and Manifest.db cannot stand in for it: ${second}`,
      plistError.code,
      undefined,
      { cause: plistError },
    );
  }
}

const isMissing = (err: unknown): boolean => isRegularFileError(err) && err.kind === 'missing';

/** One `ls` line: domain, relative path (folders end in "/"), size. */
export function entryLine(entry: BackupEntry): string {
  // The domain's own folder has an empty relative path and stays empty.
  const name = entry.kind === 'directory' && entry.relativePath !== '' ? `${entry.relativePath}/` : entry.relativePath;
  const size = entry.kind === 'file' ? String(entry.size ?? '?') : '';
  return `${entry.domain}\t${name}\t${size}`;
}

/** The JSON shape of one entry. */
export function entryJson(entry: BackupEntry): Record<string, unknown> {
  return {
    domain: entry.domain,
    relativePath: entry.relativePath,
    kind: entry.kind,
    size: entry.size ?? null,
    fileID: entry.fileID,
  };
}
