import * as path from 'node:path';
import { tokenFromAbortSignal } from '../../common/cancellation';
import { formatByteCount } from '../../common/byteCount';
import { UsageError } from '../../common/errors';
import { flagValue } from '../args';
import { backupFolderFromArgs } from '../backupArgs';
import { EXIT_FAILED, EXIT_OK } from '../presentError';
import { command } from '../context';
import { openBackupReader } from '../openBackupReader';

/** Skipped entries listed one by one before the rest is only counted. */
const SKIPPED_SHOWN = 20;

/** `extract <backupDir> --out <dir> [--domain D] [--path P]`: copies files out of a backup. */
export const extractCommand = command({
  usage: 'extract <backupDir> --out <dir> [--domain D] [--path P] [--password-stdin] [--json]',
  summary: 'copy files out of a backup into <dir>/<domain>/<path>',
  flags: { values: ['out', 'domain', 'path'] },
  async run(ctx) {
    const backupDir = backupFolderFromArgs(ctx.args);
    const out = flagValue(ctx.args, 'out');
    if (!out) throw new UsageError('Missing --out <dir>: the folder to extract into.');
    const outDir = path.resolve(out);
    const reader = await openBackupReader(backupDir, ctx);
    try {
      const result = await reader.extract(outDir, {
        domain: flagValue(ctx.args, 'domain'),
        path: flagValue(ctx.args, 'path'),
        token: tokenFromAbortSignal(ctx.signal),
      });
      // Entries that should have been written and were not make the extraction a failure (exit 1), though
      // everything else was written; what is left out on purpose (symlinks) does not.
      const failed = result.skipped.filter((s) => s.failed).length;
      const exitCode = failed > 0 ? EXIT_FAILED : EXIT_OK;
      if (ctx.json) {
        ctx.out(JSON.stringify({ outDir, ...result }, null, 2) + '\n');
        return exitCode;
      }
      // Failures first, so the cut after SKIPPED_SHOWN lines drops the expected skips rather than them.
      const shown = [...result.skipped].sort((a, b) => Number(b.failed) - Number(a.failed)).slice(0, SKIPPED_SHOWN);
      for (const skipped of shown) {
        // Reasons are clauses or whole sentences; either way the line ends as one sentence.
        ctx.note(`${skipped.failed ? 'Not extracted' : 'Skipped'} ${skipped.domain}/${skipped.relativePath}: ${skipped.reason.replace(/\.?$/, '.')}`);
      }
      if (result.skipped.length > SKIPPED_SHOWN) ctx.note(`… and ${result.skipped.length - SKIPPED_SHOWN} more skipped entries.`);
      const skippedText = result.skipped.length ? `; ${result.skipped.length} skipped` : '';
      ctx.out(`Extracted ${result.filesWritten} files (${formatByteCount(result.bytesWritten)}) into ${outDir}${skippedText}.\n`);
      if (failed > 0) ctx.note(`${failed === 1 ? '1 file' : `${failed} files`} could not be extracted; the lines above say why, and everything else was written.`);
      return exitCode;
    } finally {
      reader.close();
    }
  },
});
