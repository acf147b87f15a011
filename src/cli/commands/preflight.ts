import { formatPreflightChecks } from '../../restore/preflightText';
import { runRestorePreflight } from '../../restore/runRestorePreflight';
import { sourceFactLines } from '../../compat/factProvenanceText';
import { formatReportText } from '../../compat/reportText';
import { command } from '../context';
import { answerNoteLines, passwordHint, preflightJson } from '../preflightOutput';
import { EXIT_FAILED, EXIT_OK } from '../presentError';
import { COMPAT_FLAGS_USAGE, RESTORE_VALUE_FLAGS, restoreArgs } from '../restoreArgs';

/** The command that runs the full health check of the backup (the restore checks run only its quick part). */
function fullCheckCommand(backupDir: string): string {
  return `iosbr verify ${JSON.stringify(backupDir)}`;
}

/**
 * `preflight <udid> --from <backupDir>`: every restore check without restoring — the backup
 * folder (complete, password, encryption), the live target device (pairing, lock, activation, Find
 * My, free space, iOS version) and the compatibility rules of the MDM vendor's document. Facts that neither the
 * backup nor the device can tell are asked for (flags), never guessed; exit 0 only when every
 * check passes (warnings allowed).
 */
export const preflightCommand = command({
  usage: `preflight <udid> --from <backupDir> [--password-stdin] ${COMPAT_FLAGS_USAGE} [--json]`,
  summary: 'run the restore checks (backup, password, device state, free space, compatibility matrix) without restoring',
  flags: { values: RESTORE_VALUE_FLAGS },
  async run(ctx) {
    const { udid, mux, backupDir, lang, rules, answers, password } = await restoreArgs(ctx);
    const result = await runRestorePreflight({
      mux,
      udid,
      backupDir,
      password,
      passwordRequired: false,
      skipDeviceWhenBackupFails: false,
      rules,
      answers,
      logger: ctx.logger,
      signal: ctx.signal,
    });
    if (ctx.json) {
      ctx.out(JSON.stringify({ backupDir, ...preflightJson(result), source: result.sourceFacts, fullCheck: fullCheckCommand(backupDir) }, null, 2) + '\n');
    } else {
      const device = result.target?.device;
      const hint = passwordHint(result);
      const lines = [
        `Backup: ${backupDir} (device ${result.backup.udid ?? 'unknown'}, iOS ${result.backup.iosVersion ?? 'unknown'})`,
        device
          ? `Target: ${device.name ?? udid} (${device.udid}, iOS ${device.iosVersion ?? 'unknown'}, ${device.supervised === undefined ? 'supervision unknown' : device.supervised ? 'supervised' : 'unsupervised'})`
          : `Target: ${udid} (not read)`,
        ...sourceFactLines({ ...result.provenance, source: result.sourceFacts }, lang).map((line) => `  ${line}`),
        ...answerNoteLines(result.provenance, lang),
        '',
        ...formatPreflightChecks(result, lang),
        ...(hint ? [`  ${hint}`] : []),
        lang === 'ja'
          ? `  完全な健全性チェック（全ファイルの確認）: ${fullCheckCommand(backupDir)}`
          : `  The full health check (every file of the backup): ${fullCheckCommand(backupDir)}`,
        '',
        ...formatReportText(rules, result.report, lang, { verdict: 'overall', questions: true }),
      ];
      ctx.out(lines.join('\n') + '\n');
    }
    return result.clear ? EXIT_OK : EXIT_FAILED;
  },
});
