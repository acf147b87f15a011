import * as path from 'node:path';
import { formatPreflightChecks } from '../../restore/preflightText';
import type { RestorePreflightResult } from '../../restore/restorePreflight';
import type { CompatAnswers } from '../../restore/restorePreflightFacts';
import { runRestorePreflight } from '../../restore/runRestorePreflight';
import { sourceFactLines } from '../../compat/factProvenanceText';
import type { FactKey } from '../../compat/facts';
import { bundledRules, loadRules } from '../../compat/loadRules';
import { formatReportText } from '../../compat/reportText';
import { type CompatRules } from '../../compat/rulesModel';
import { LANGS, type Lang } from '../../common/localizedText';
import { UsageError } from '../../common/errors';
import { flagChoice, flagValue, hasFlag, requirePositional, type ParsedArgs } from '../args';
import { langFromEnvironment } from '../cliLanguage';
import type { CliCommand, CliContext } from '../context';
import { StdinPasswords } from '../passwords';
import { EXIT_FAILED, EXIT_OK } from '../presentError';
import { usbmuxFromContext } from '../usbmuxFromContext';

const YES_NO = ['yes', 'no'] as const;

/** The flags through which the engineer answers what neither the backup nor the device can tell. */
export const COMPAT_ANSWER_FLAGS = ['target-supervised', 'source-supervised', 'source-mdm', 'ade-restore-allowed'] as const;

/** Usage text of the compatibility-answer, rules and language flags shared by preflight and restore. */
export const COMPAT_FLAGS_USAGE = '[--target-supervised yes|no] [--source-supervised yes|no] [--source-mdm yes|no] [--ade-restore-allowed yes|no] [--rules FILE] [--lang en|ja]';

/** A yes/no flag as a boolean, or undefined when not given. */
function yesNoFlag(args: ParsedArgs, name: string): boolean | undefined {
  const v = flagChoice(args, name, YES_NO);
  return v === undefined ? undefined : v === 'yes';
}

/** The answers given on the command line (e.g. a target that will be supervised after kitting). */
export function compatAnswersFromArgs(args: ParsedArgs): CompatAnswers {
  const answers: CompatAnswers = {};
  const targetSupervised = yesNoFlag(args, 'target-supervised');
  // A flag is a statement about the restore moment (e.g. ADE will supervise the replacement), so it wins.
  if (targetSupervised !== undefined) answers.targetSupervisedAtRestore = targetSupervised;
  const ade = yesNoFlag(args, 'ade-restore-allowed');
  if (ade !== undefined) answers.adeRestoreFromBackupAllowed = ade;
  const sourceSupervised = yesNoFlag(args, 'source-supervised');
  if (sourceSupervised !== undefined) answers.sourceSupervisedAtBackup = sourceSupervised;
  const sourceMdm = yesNoFlag(args, 'source-mdm');
  if (sourceMdm !== undefined) answers.sourceMdmEnrolledAtBackup = sourceMdm;
  return answers;
}

/** The compatibility rules: --rules FILE, else the bundled ones. */
export async function rulesFromArgs(args: ParsedArgs): Promise<CompatRules> {
  const rulesPath = flagValue(args, 'rules');
  return rulesPath === undefined ? bundledRules() : loadRules(rulesPath);
}

/** The output language: --lang, else the locale. */
export function langFromArgs(ctx: CliContext): Lang {
  return flagChoice(ctx.args, 'lang', LANGS) ?? langFromEnvironment(ctx.env);
}

/** The backup folder named by --from (a usage error when missing), made absolute. */
export function backupDirFromArgs(args: ParsedArgs): string {
  const backupDir = flagValue(args, 'from');
  if (!backupDir) throw new UsageError('Missing --from <backupDir> (the backup to restore).');
  return path.resolve(backupDir);
}

/**
 * The backup password when one was given: the first line of stdin with --password-stdin, else
 * IOSBR_PASSWORD. Never from argv; never echoed.
 */
export async function optionalPassword(ctx: CliContext): Promise<string | undefined> {
  if (hasFlag(ctx.args, 'password-stdin')) {
    const line = await new StdinPasswords(ctx.stdin).line(0);
    if (!line) throw new UsageError('--password-stdin was given but the first line of stdin is empty.');
    return line;
  }
  const fromEnv = ctx.env.IOSBR_PASSWORD;
  return fromEnv ? fromEnv : undefined;
}

/** The note that says how to give a password, when a check stopped for the lack of one. */
export function passwordHint(result: RestorePreflightResult): string | undefined {
  return result.backup.password.kind === 'missing' ? 'Give the backup password with --password-stdin (first line of stdin) or the IOSBR_PASSWORD environment variable.' : undefined;
}

/** The command that runs the full health check of the backup (the restore checks run only its quick part). */
export function fullCheckCommand(backupDir: string): string {
  return `iosbr verify ${JSON.stringify(backupDir)}`;
}

/** Says which answers were not used because the backup or the device told the fact (what was read wins). */
export function unusedAnswerLines(facts: readonly FactKey[], lang: Lang): string[] {
  if (facts.length === 0) return [];
  const list = facts.join(', ');
  return [
    lang === 'ja'
      ? `  注: ${list} への回答は使用していません（バックアップまたは端末から読み取った値を優先します）。`
      : `  note: the answer for ${list} was not used: the backup or the device tells it, and what is read wins.`,
  ];
}

/** Says which facts of the restore moment were taken from the engineer although the device reports otherwise now. */
export function overriddenReadLines(facts: readonly FactKey[], lang: Lang): string[] {
  if (facts.length === 0) return [];
  const list = facts.join(', ');
  return [
    lang === 'ja'
      ? `  注: ${list} は端末が現在報告している値ではなく、指定された値（リストア時の状態）を使用しています。`
      : `  note: ${list} is taken from your answer (its state at restore time), not from what the device reports now.`,
  ];
}

/** The checks as JSON-ready data (the rules file itself is left out). */
export function preflightJson(result: RestorePreflightResult): Record<string, unknown> {
  return {
    checks: result.checks,
    blocked: result.blocked,
    clear: result.clear,
    backup: result.backup,
    target: result.target?.device ?? null,
    targetStorage: result.target ? { freeBytes: result.target.freeBytes ?? null, activationState: result.target.activationState ?? null } : null,
    sourceFacts: result.sourceFacts,
    targetFacts: result.targetFacts,
    provenance: result.provenance,
    report: result.report,
  };
}

/**
 * `preflight <udid> --from <backupDir>`: every restore check without restoring — the backup
 * folder (complete, password, encryption), the live target device (pairing, lock, activation, Find
 * My, free space, iOS version) and the compatibility rules of the MDM vendor's document. Facts that neither the
 * backup nor the device can tell are asked for (flags), never guessed; exit 0 only when every
 * check passes (warnings allowed).
 */
export const preflightCommand: CliCommand = {
  name: 'preflight',
  usage: `preflight <udid> --from <backupDir> [--password-stdin] ${COMPAT_FLAGS_USAGE} [--json]`,
  summary: 'run the restore checks (backup, password, device state, free space, compatibility matrix) without restoring',
  flags: { values: ['from', ...COMPAT_ANSWER_FLAGS, 'rules', 'lang'] },
  async run(ctx) {
    const udid = requirePositional(ctx.args, 0, 'the target device UDID');
    const backupDir = backupDirFromArgs(ctx.args);
    const lang = langFromArgs(ctx);
    const rules = await rulesFromArgs(ctx.args);
    const answers = compatAnswersFromArgs(ctx.args);
    const password = await optionalPassword(ctx);
    const abort = new AbortController();
    ctx.signal.addEventListener('abort', () => abort.abort(), { once: true });
    const result = await runRestorePreflight({
      mux: usbmuxFromContext(ctx),
      udid,
      backupDir,
      password,
      passwordRequired: false,
      skipDeviceWhenBackupFails: false,
      rules,
      answers,
      logger: ctx.logger,
      signal: abort.signal,
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
        ...unusedAnswerLines(result.provenance.unusedAnswers, lang),
        ...overriddenReadLines(result.provenance.overriddenReads, lang),
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
};
