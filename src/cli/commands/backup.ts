import * as path from 'node:path';
import { tokenFromAbortSignal } from '../../common/cancellation';
import { describeBackup, defaultBackupRoot } from '../../backup/format/backupFolder';
import { isCancelledError } from '../../common/errors';
import { runBackup, type BackupRunResult } from '../../backup/engine/backupEngine';
import type { BackupProgress } from '../../backup/engine/backupProgress';
import { formatByteCount } from '../../common/byteCount';
import { flagValue, hasFlag, requirePositional } from '../args';
import type { CliCommand, CliContext } from '../context';
import { presentError } from '../presentError';
import { doctorAdvice } from '../doctorAdvice';
import { langFromEnvironment } from '../cliLanguage';
import { usbmuxFromContext } from '../usbmuxFromContext';

/** Shortest pause between two progress lines, so a fast transfer does not flood the terminal or a log. */
const PROGRESS_INTERVAL_MS = 1000;

/** `backup <udid> --dir <root> [--full]`: backs a device up into `<root>/<udid>/`. */
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup <udid> [--dir <root>] [--full] [--json]',
  summary: 'back up a device into <root>/<udid>/ (incremental unless --full); progress on stderr',
  flags: { booleans: ['full'], values: ['dir'] },
  async run(ctx) {
    const udid = requirePositional(ctx.args, 0, 'the device UDID');
    const root = path.resolve(flagValue(ctx.args, 'dir') ?? defaultBackupRoot(process.platform, ctx.env));
    const progress = progressPrinter(ctx);
    let result: BackupRunResult;
    try {
      result = await runBackup({
        mux: usbmuxFromContext(ctx),
        udid,
        root,
        full: hasFlag(ctx.args, 'full'),
        token: tokenFromAbortSignal(ctx.signal),
        logger: ctx.logger,
        onProgress: progress,
        onNotice: (text) => ctx.note(text),
      });
    } catch (err) {
      if (isCancelledError(err)) throw err;
      // The failure comes first, then whether the last good backup survived it.
      const { line, exitCode } = presentError(err);
      ctx.note(line);
      for (const advice of doctorAdvice(err, langFromEnvironment(ctx.env))) ctx.note(advice);
      if (hasFlag(ctx.args, 'debug') && err instanceof Error && err.stack) ctx.note(err.stack);
      await notePreviousBackup(ctx, path.join(root, udid));
      return exitCode;
    }
    if (ctx.json) {
      ctx.out(JSON.stringify(result, null, 2) + '\n');
    } else {
      for (const warning of result.uploadWarnings) ctx.note(`The device could not send ${warning}`);
      ctx.out(`${summaryLine(result)}\n`);
    }
    return 0;
  },
};

/** The one-line summary of a finished backup. */
export function summaryLine(result: BackupRunResult): string {
  const who = result.deviceName ? `"${result.deviceName}" (${result.udid})` : result.udid;
  const kind = result.fullBackup === undefined ? '' : result.fullBackup ? ', full backup' : ', incremental backup';
  const files = `${result.filesTransferred} ${result.filesTransferred === 1 ? 'file' : 'files'}`;
  return `Backed up ${who} to ${result.backupDir}: ${files} transferred (${formatByteCount(result.bytesTransferred)}) in ${(result.durationMs / 1000).toFixed(1)} s${kind}.`;
}

/** One progress line: percent (from the device), files, bytes, rate. */
export function progressLine(p: BackupProgress): string {
  if (p.phase === 'preparing') return 'Backing up: preparing…';
  if (p.phase === 'waiting-for-device' && p.percent === undefined) return 'Backing up: waiting for the device…';
  const percent = p.percent === undefined ? '' : `${Math.floor(p.percent)}% · `;
  return `Backing up: ${percent}${p.filesReceived} files · ${formatByteCount(p.bytesReceived)} · ${formatByteCount(p.bytesPerSecond)}/s`;
}

/** Prints backup progress lines on stderr when something visible changed, at most once a second. */
export function progressPrinter(ctx: CliContext): (p: BackupProgress) => void {
  let lastAt = 0;
  let lastPhase = '';
  let lastPercent = -1;
  return (p) => {
    const now = Date.now();
    const percent = Math.floor(p.percent ?? -1);
    const changed = p.phase !== lastPhase || percent !== lastPercent;
    if (!changed && now - lastAt < PROGRESS_INTERVAL_MS) return;
    if (changed && p.phase === lastPhase && now - lastAt < PROGRESS_INTERVAL_MS / 4) return;
    lastAt = now;
    lastPhase = p.phase;
    lastPercent = percent;
    ctx.note(progressLine(p));
  };
}

/** After a failure, tells whether the last complete backup is still there. */
async function notePreviousBackup(ctx: CliContext, finalDir: string): Promise<void> {
  try {
    const summary = await describeBackup(finalDir);
    if (summary.complete) ctx.note(`The previous backup in ${finalDir} is intact.`);
  } catch {
    // No previous backup: nothing to say.
  }
}
