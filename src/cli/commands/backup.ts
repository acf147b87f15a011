import * as path from 'node:path';
import { tokenFromAbortSignal } from '../../common/cancellation';
import { describeBackup } from '../../backup/format/backupFolder';
import { isCancelledError } from '../../common/errors';
import { runBackup, type BackupRunResult } from '../../backup/engine/backupEngine';
import { formatByteCount } from '../../common/byteCount';
import { hasFlag } from '../args';
import { attachedUdids } from '../../kitting/attachedDevices';
import { backupRootFromArgs } from '../backupArgs';
import { runBench } from '../benchRun';
import { langFromArgs } from '../cliLanguage';
import { command, type CliContext } from '../context';
import { usbmuxFromContext } from '../deviceArgs';
import { deviceSelectionFromArgs } from '../deviceListArgs';
import { EXIT_FAILED, reportFailure } from '../presentError';
import { backupProgressPrinter } from '../transferProgress';

/**
 * `backup <udid> --dir <root> [--full]`: backs a device up into `<root>/<udid>/`. With several UDIDs, --all or
 * --jobs: backs them up at once on a kitting bench, a progress line per device and a summary table at the end.
 */
export const backupCommand = command({
  usage: 'backup <udid>... | --all [--jobs N] [--dir <root>] [--full] [--lang en|ja] [--json]',
  summary:
    'back up a device into <root>/<udid>/ (incremental unless --full); progress on stderr. Several UDIDs or --all (every attached device): at once, --jobs at a time (default 4, 1..16), a line per device on stderr, a summary table (or --json per device) on stdout; exit 1 if any failed',
  flags: { booleans: ['full', 'all'], values: ['dir', 'jobs', 'lang'] },
  async run(ctx) {
    const selection = deviceSelectionFromArgs(ctx.args, { what: 'the device UDID' });
    const root = backupRootFromArgs(ctx);
    const lang = langFromArgs(ctx);
    const mux = usbmuxFromContext(ctx);
    if (selection.kind === 'batch') {
      const udids = selection.all ? await attachedUdids(mux) : selection.udids;
      if (udids.length === 0) {
        ctx.note(lang === 'ja' ? 'デバイスが接続されていません。' : 'No devices are attached.');
        return EXIT_FAILED;
      }
      const full = hasFlag(ctx.args, 'full');
      return runBench(ctx, { mux, backupRoot: root, jobs: selection.jobs, lang, addRows: (bench) => udids.forEach((udid) => bench.addBackup(udid, { full })) });
    }
    const udid = selection.udid;
    let result: BackupRunResult;
    try {
      result = await runBackup({
        mux,
        udid,
        root,
        full: hasFlag(ctx.args, 'full'),
        token: tokenFromAbortSignal(ctx.signal),
        logger: ctx.logger,
        onProgress: backupProgressPrinter(ctx),
        onNotice: (text) => ctx.note(text),
      });
    } catch (err) {
      if (isCancelledError(err)) throw err;
      // The failure comes first, then whether the last good backup survived it.
      const exitCode = reportFailure(err, { note: (text) => ctx.note(text), lang, debug: hasFlag(ctx.args, 'debug') });
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
});

/** The one-line summary of a finished backup. */
function summaryLine(result: BackupRunResult): string {
  const who = result.deviceName ? `"${result.deviceName}" (${result.udid})` : result.udid;
  const kind = result.fullBackup === undefined ? '' : result.fullBackup ? ', full backup' : ', incremental backup';
  const files = `${result.filesTransferred} ${result.filesTransferred === 1 ? 'file' : 'files'}`;
  return `Backed up ${who} to ${result.backupDir}: ${files} transferred (${formatByteCount(result.bytesTransferred)}) in ${(result.durationMs / 1000).toFixed(1)} s${kind}.`;
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
