import type { BackupEntry } from '../../backup/format/backupReader';
import { flagValue } from '../args';
import { backupFolderFromArgs } from '../backupArgs';
import { command } from '../context';
import { openBackupReader } from '../openBackupReader';

/** `ls <backupDir> [--domain D]`: lists the files of a backup. */
export const lsCommand = command({
  usage: 'ls <backupDir> [--domain D] [--password-stdin] [--json]',
  summary: 'list the files of a backup (domain, relative path, size)',
  flags: { values: ['domain'] },
  async run(ctx) {
    const reader = await openBackupReader(backupFolderFromArgs(ctx.args), ctx);
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
});

/** One `ls` line: domain, relative path (folders end in "/"), size. */
function entryLine(entry: BackupEntry): string {
  // The domain's own folder has an empty relative path and stays empty.
  const name = entry.kind === 'directory' && entry.relativePath !== '' ? `${entry.relativePath}/` : entry.relativePath;
  const size = entry.kind === 'file' ? String(entry.size ?? '?') : '';
  return `${entry.domain}\t${name}\t${size}`;
}

/** The JSON shape of one entry. */
function entryJson(entry: BackupEntry): Record<string, unknown> {
  return {
    domain: entry.domain,
    relativePath: entry.relativePath,
    kind: entry.kind,
    size: entry.size ?? null,
    fileID: entry.fileID,
  };
}
