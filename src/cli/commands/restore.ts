import { formatByteCount } from '../../common/byteCount';
import { formatPostRestoreSteps, postRestoreSteps } from '../../restore/postRestoreSteps';
import { formatPreflightChecks } from '../../restore/preflightText';
import { runRestore, type RestoreRunResult } from '../../restore/restoreEngine';
import type { RestorePreflightResult } from '../../restore/restorePreflight';
import { isRestorePreflightError } from '../../restore/restorePreflightError';
import { tokenFromAbortSignal } from '../../common/cancellation';
import type { Lang } from '../../common/localizedText';
import { isBackupError } from '../../common/errors';
import { hasFlag } from '../args';
import { command } from '../context';
import { deviceSelectionFromArgs } from '../deviceListArgs';
import { answerNoteLines, passwordHint, preflightJson } from '../preflightOutput';
import { EXIT_OK, presentError, reportFailure } from '../presentError';
import { restoreBatch } from '../restoreBatch';
import { RESTORE_VALUE_FLAGS, restoreArgs, restoreSwitchesFromArgs } from '../restoreArgs';
import { restoreProgressPrinter } from '../transferProgress';

/**
 * `restore <udid> --from <backupDir>`: runs every restore check (stopping before anything is sent
 * to the device when one fails), then restores the backup to the device, progress on stderr, and
 * prints what to do on the device afterwards. `--to <udid>...` or `--all`: the kitting form, one backup
 * restored to many devices at once (see restoreBatch).
 */
export const restoreCommand = command({
  usage:
    'restore <udid> --from <backupDir> | --from <backupDir> (--to <udid>... | --all) [--jobs N] [--no-reboot] [--system] [--preserve-settings] [--remove-items-not-restored] [--copy] [--skip-apps] [--password-stdin] [--json] [preflight answer flags]',
  summary:
    'restore a backup to a device after the restore checks (password from IOSBR_PASSWORD or --password-stdin; --target-supervised, --source-supervised, --source-mdm, --ade-restore-allowed, --rules, --lang as for preflight); progress on stderr. --to several UDIDs or --all (every attached device but the backup\'s own): checks per device, the devices that pass restored at once, --jobs at a time (default 4, 1..16), a summary table with each device\'s next steps (or --json per device); exit 1 if any failed or was refused',
  flags: {
    booleans: ['no-reboot', 'system', 'preserve-settings', 'remove-items-not-restored', 'copy', 'skip-apps', 'all'],
    values: [...RESTORE_VALUE_FLAGS, 'jobs'],
    lists: ['to'],
  },
  async run(ctx) {
    const selection = deviceSelectionFromArgs(ctx.args, { what: 'the target device UDID', listFlag: 'to' });
    if (selection.kind === 'batch') return restoreBatch(ctx, selection);
    const { udid, mux, backupDir, lang, rules, answers, password } = await restoreArgs(ctx);
    let preflight: RestorePreflightResult | undefined;
    let result: RestoreRunResult;
    try {
      result = await runRestore({
        mux,
        udid,
        backupDir,
        ...restoreSwitchesFromArgs(ctx.args),
        password,
        answers,
        rules,
        token: tokenFromAbortSignal(ctx.signal),
        logger: ctx.logger,
        onPreflight: (checks) => {
          preflight = checks;
          // The checks on stderr, before anything else happens to the device.
          if (!ctx.json) for (const line of [...answerNoteLines(checks.provenance, lang), ...formatPreflightChecks(checks, lang)]) ctx.note(line);
        },
        onProgress: restoreProgressPrinter(ctx),
        onNotice: (text) => ctx.note(text),
      });
    } catch (err) {
      if (ctx.json) ctx.out(JSON.stringify({ restored: false, error: errorJson(err), ...(preflight ? preflightJson(preflight) : {}) }, null, 2) + '\n');
      return reportFailure(err, { note: (text) => ctx.note(text), lang, debug: hasFlag(ctx.args, 'debug') }, isRestorePreflightError(err) ? preflightFailureLines(err.preflight, lang) : undefined);
    }
    const steps = postRestoreSteps(result.preflight, { reboot: result.reboot, differentDevice: result.differentDevice, appsToReinstall: result.appsToReinstall });
    for (const file of result.unavailableFiles) ctx.note(`The backup folder could not serve ${file}`);
    for (const refused of result.refusedPaths) {
      ctx.note(
        lang === 'ja'
          ? `デバイスの ${refused} への要求を拒否しました。復元はバックアップフォルダーを読み取るだけで、変更せず、フォルダーの外やシンボリックリンクの先にも触れません。`
          : `Refused a device request for ${refused}: a restore only reads the backup folder, never changes it, and never reads outside it or through a symlink.`,
      );
    }
    if (ctx.json) {
      const { preflight: checks, ...rest } = result;
      ctx.out(JSON.stringify({ restored: true, ...rest, ...preflightJson(checks), postRestoreSteps: steps }, null, 2) + '\n');
    } else {
      ctx.out([summaryLine(result), '', lang === 'ja' ? '復元後の作業:' : 'After the restore:', ...formatPostRestoreSteps(steps, lang)].join('\n') + '\n');
    }
    return EXIT_OK;
  },
});

/** The one-line summary of a finished restore. */
function summaryLine(result: RestoreRunResult): string {
  const from = result.differentDevice ? ` (a backup of ${result.sourceIdentifier})` : '';
  const files = `${result.filesSent} ${result.filesSent === 1 ? 'file' : 'files'}`;
  const after = result.reboot ? 'the device now restarts to finish' : 'restart the device before using it';
  return `Restored ${result.backupDir}${from} to ${result.udid}: ${files} sent (${formatByteCount(result.bytesSent)}) in ${(result.durationMs / 1000).toFixed(1)} s; ${after}.`;
}

/** What follows the sentence when a restore check stopped the restore: what to do, how to give a missing password, and that the device was left alone. */
function preflightFailureLines(result: RestorePreflightResult, lang: Lang): string[] {
  const action = result.checks.find((c) => c.status === 'fail')?.action;
  const hint = passwordHint(result);
  return [...(action ? [`What to do: ${action[lang]}`] : []), ...(hint ? [hint] : []), 'Nothing was sent to the device.'];
}

function errorJson(err: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { message: presentError(err).line };
  if (isBackupError(err)) {
    out.code = err.code;
    if (err.deviceErrorCode !== undefined) out.deviceErrorCode = err.deviceErrorCode;
  }
  return out;
}
