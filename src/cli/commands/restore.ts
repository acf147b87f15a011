import { formatByteCount } from '../../common/byteCount';
import { formatPostRestoreSteps, postRestoreSteps } from '../../restore/postRestoreSteps';
import { formatPreflightChecks } from '../../restore/preflightText';
import { runRestore, type RestoreRunResult } from '../../restore/restoreEngine';
import type { RestorePreflightResult } from '../../restore/restorePreflight';
import { isRestorePreflightError } from '../../restore/restorePreflightError';
import type { RestoreProgress } from '../../restore/restoreProgress';
import { tokenFromAbortSignal } from '../../common/cancellation';
import type { Lang } from '../../common/localizedText';
import { isBackupError } from '../../common/errors';
import { hasFlag, requirePositional } from '../args';
import type { CliCommand, CliContext } from '../context';
import { doctorAdvice } from '../doctorAdvice';
import { EXIT_OK, presentError } from '../presentError';
import { usbmuxFromContext } from '../usbmuxFromContext';
import {
  backupDirFromArgs,
  COMPAT_ANSWER_FLAGS,
  compatAnswersFromArgs,
  langFromArgs,
  optionalPassword,
  passwordHint,
  preflightJson,
  rulesFromArgs,
  overriddenReadLines,
  unusedAnswerLines,
} from './preflight';

/** Shortest pause between two progress lines, so a fast transfer does not flood the terminal or a log. */
const PROGRESS_INTERVAL_MS = 1000;

/**
 * `restore <udid> --from <backupDir>`: runs every restore check (stopping before anything is sent
 * to the device when one fails), then restores the backup to the device, progress on stderr, and
 * prints what to do on the device afterwards.
 */
export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore <udid> --from <backupDir> [--no-reboot] [--system] [--preserve-settings] [--remove-items-not-restored] [--copy] [--skip-apps] [--password-stdin] [--json] [preflight answer flags]',
  summary: 'restore a backup to a device after the restore checks (password from IOSBR_PASSWORD or --password-stdin; --target-supervised, --source-supervised, --source-mdm, --ade-restore-allowed, --rules, --lang as for preflight); progress on stderr',
  flags: {
    booleans: ['no-reboot', 'system', 'preserve-settings', 'remove-items-not-restored', 'copy', 'skip-apps'],
    values: ['from', ...COMPAT_ANSWER_FLAGS, 'rules', 'lang'],
  },
  async run(ctx) {
    const udid = requirePositional(ctx.args, 0, 'the target device UDID');
    const backupDir = backupDirFromArgs(ctx.args);
    const lang = langFromArgs(ctx);
    const rules = await rulesFromArgs(ctx.args);
    const answers = compatAnswersFromArgs(ctx.args);
    const password = await optionalPassword(ctx);
    let preflight: RestorePreflightResult | undefined;
    let result: RestoreRunResult;
    try {
      result = await runRestore({
        mux: usbmuxFromContext(ctx),
        udid,
        backupDir,
        reboot: !hasFlag(ctx.args, 'no-reboot'),
        restoreSystemFiles: hasFlag(ctx.args, 'system'),
        preserveSettings: hasFlag(ctx.args, 'preserve-settings'),
        copyFirst: hasFlag(ctx.args, 'copy'),
        removeItemsNotRestored: hasFlag(ctx.args, 'remove-items-not-restored'),
        skipApps: hasFlag(ctx.args, 'skip-apps'),
        password,
        answers,
        rules,
        token: tokenFromAbortSignal(ctx.signal),
        logger: ctx.logger,
        onPreflight: (checks) => {
          preflight = checks;
          if (!ctx.json) notePreflight(ctx, checks, lang);
        },
        onProgress: progressPrinter(ctx),
        onNotice: (text) => ctx.note(text),
      });
    } catch (err) {
      const { line, exitCode } = presentError(err);
      if (ctx.json) ctx.out(JSON.stringify({ restored: false, error: errorJson(err, line), ...(preflight ? preflightJson(preflight) : {}) }, null, 2) + '\n');
      ctx.note(line);
      if (isRestorePreflightError(err)) {
        const failed = err.preflight.checks.find((c) => c.status === 'fail');
        if (failed?.action) ctx.note(`What to do: ${failed.action[lang]}`);
        const hint = passwordHint(err.preflight);
        if (hint) ctx.note(hint);
        ctx.note('Nothing was sent to the device.');
      } else {
        for (const advice of doctorAdvice(err, lang)) ctx.note(advice);
      }
      if (hasFlag(ctx.args, 'debug') && err instanceof Error && err.stack) ctx.note(err.stack);
      return exitCode;
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
};

/** The one-line summary of a finished restore. */
export function summaryLine(result: RestoreRunResult): string {
  const from = result.differentDevice ? ` (a backup of ${result.sourceIdentifier})` : '';
  const files = `${result.filesSent} ${result.filesSent === 1 ? 'file' : 'files'}`;
  const after = result.reboot ? 'the device now restarts to finish' : 'restart the device before using it';
  return `Restored ${result.backupDir}${from} to ${result.udid}: ${files} sent (${formatByteCount(result.bytesSent)}) in ${(result.durationMs / 1000).toFixed(1)} s; ${after}.`;
}

/** One progress line: percent (from the device), files, bytes, rate. */
export function progressLine(p: RestoreProgress): string {
  if (p.phase === 'checking') return 'Restoring: checking the backup and the device…';
  if (p.phase === 'preparing') return 'Restoring: preparing the device…';
  if (p.phase === 'waiting-for-device' && p.percent === undefined) return 'Restoring: waiting for the device…';
  if (p.phase === 'finishing') return 'Restoring: finishing…';
  const percent = p.percent === undefined ? '' : `${Math.floor(p.percent)}% · `;
  return `Restoring: ${percent}${p.filesSent} files · ${formatByteCount(p.bytesSent)} · ${formatByteCount(p.bytesPerSecond)}/s`;
}

/** Prints restore progress lines on stderr when something visible changed, at most once a second. */
function progressPrinter(ctx: CliContext): (p: RestoreProgress) => void {
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

/** The checks on stderr, before anything else happens to the device. */
function notePreflight(ctx: CliContext, result: RestorePreflightResult, lang: Lang): void {
  for (const line of [...unusedAnswerLines(result.provenance.unusedAnswers, lang), ...overriddenReadLines(result.provenance.overriddenReads, lang), ...formatPreflightChecks(result, lang)]) ctx.note(line);
}

function errorJson(err: unknown, line: string): Record<string, unknown> {
  const out: Record<string, unknown> = { message: line };
  if (isBackupError(err)) {
    out.code = err.code;
    if (err.deviceErrorCode !== undefined) out.deviceErrorCode = err.deviceErrorCode;
  }
  return out;
}
