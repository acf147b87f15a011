import * as path from 'node:path';
import { defaultBackupRoot } from '../backup/format/backupFolder';
import { flagValue, requirePositional, type ParsedArgs } from './args';
import type { CliContext } from './context';

/** The backup folder a command reads: its first word, made absolute. */
export function backupFolderFromArgs(args: ParsedArgs): string {
  return path.resolve(requirePositional(args, 0, 'the backup folder'));
}

/** Where a device's backups are kept: --dir, else the platform's default backup root, made absolute. */
export function backupRootFromArgs(ctx: CliContext): string {
  return path.resolve(flagValue(ctx.args, 'dir') ?? defaultBackupRoot(process.platform, ctx.env));
}
