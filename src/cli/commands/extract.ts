import * as path from 'node:path';
import { tokenFromAbortSignal } from '../../cancellation';
import { formatByteCount } from '../../backup/engine/byteCount';
import { UsageError } from '../../errors';
import { flagValue, requirePositional } from '../args';
import type { CliCommand } from '../context';
import { openBackupReader } from './ls';

/** Skipped entries listed one by one before the rest is only counted. */
const SKIPPED_SHOWN = 20;

/** `extract <backupDir> --out <dir> [--domain D] [--path P]`: copies files out of a backup. */
export const extractCommand: CliCommand = {
  name: 'extract',
  usage: 'extract <backupDir> --out <dir> [--domain D] [--path P] [--password-stdin] [--json]',
  summary: 'copy files out of a backup into <dir>/<domain>/<path>',
  flags: { values: ['out', 'domain', 'path'] },
  async run(ctx) {
    const backupDir = path.resolve(requirePositional(ctx.args, 0, 'the backup folder'));
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
      if (ctx.json) {
        ctx.out(JSON.stringify({ outDir, ...result }, null, 2) + '\n');
        return 0;
      }
      for (const skipped of result.skipped.slice(0, SKIPPED_SHOWN)) ctx.note(`Skipped ${skipped.domain}/${skipped.relativePath}: ${skipped.reason}`);
      if (result.skipped.length > SKIPPED_SHOWN) ctx.note(`… and ${result.skipped.length - SKIPPED_SHOWN} more skipped entries.`);
      const skippedText = result.skipped.length ? `; ${result.skipped.length} skipped` : '';
      ctx.out(`Extracted ${result.filesWritten} files (${formatByteCount(result.bytesWritten)}) into ${outDir}${skippedText}.\n`);
      return 0;
    } finally {
      reader.close();
    }
  },
};
