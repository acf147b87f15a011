import * as path from 'node:path';
import { BackupReader, type BackupEntry } from '../../backup/format/backupReader';
import { isEncryptedBackupError } from '../../backup/format/formatErrors';
import { BackupError } from '../../errors';
import { flagValue, requirePositional } from '../args';
import type { CliCommand } from '../context';

/** `ls <backupDir> [--domain D]`: lists the files of a backup. */
export const lsCommand: CliCommand = {
  name: 'ls',
  usage: 'ls <backupDir> [--domain D] [--json]',
  summary: 'list the files of a backup (domain, relative path, size)',
  flags: { values: ['domain'] },
  async run(ctx) {
    const backupDir = path.resolve(requirePositional(ctx.args, 0, 'the backup folder'));
    const reader = await openBackupReader(backupDir);
    try {
      const domain = flagValue(ctx.args, 'domain');
      if (ctx.json) {
        ctx.out(JSON.stringify(reader.listEntries({ domain }).map(entryJson), null, 2) + '\n');
        return 0;
      }
      let count = 0;
      for (const entry of reader.iterateEntries({ domain })) {
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
 * Opens a backup for reading; an encrypted one gets a sentence saying this command cannot read it
 * (decryption is handled by the encryption commands, not here).
 */
export async function openBackupReader(backupDir: string): Promise<BackupReader> {
  try {
    return await BackupReader.open(backupDir);
  } catch (err) {
    if (isEncryptedBackupError(err)) {
      throw new BackupError(`Cannot read the files of ${backupDir} because the backup is encrypted, and this command reads unencrypted backups only.`, 'backup.encrypted', undefined, { cause: err });
    }
    throw err;
  }
}

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
