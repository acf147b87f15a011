import * as path from 'node:path';
import { bundledRules, loadRules } from '../compat/loadRules';
import type { CompatRules } from '../compat/rulesModel';
import { UsageError } from '../common/errors';
import type { CompatAnswers } from '../restore/restorePreflightFacts';
import { flagChoice, flagValue, hasFlag, type ParsedArgs } from './args';
import { langFromArgs } from './cliLanguage';
import type { CliContext } from './context';
import { deviceFromArgs } from './deviceArgs';
import { optionalPassword } from './passwords';

const YES_NO = ['yes', 'no'] as const;

/**
 * The flags through which the engineer answers what neither the backup nor the device can tell, and the answer each
 * sets. --target-supervised is a statement about the restore moment (e.g. ADE will supervise the replacement), so it wins.
 */
const ANSWER_FLAGS = {
  'target-supervised': 'targetSupervisedAtRestore',
  'ade-restore-allowed': 'adeRestoreFromBackupAllowed',
  'source-supervised': 'sourceSupervisedAtBackup',
  'source-mdm': 'sourceMdmEnrolledAtBackup',
} as const satisfies Record<string, keyof CompatAnswers>;

/** Usage text of the compatibility-answer, rules and language flags shared by preflight and restore. */
export const COMPAT_FLAGS_USAGE = '[--target-supervised yes|no] [--source-supervised yes|no] [--source-mdm yes|no] [--ade-restore-allowed yes|no] [--rules FILE] [--lang en|ja]';

/** The value flags of preflight and restore: the backup, the answers, the rules file and the language. */
export const RESTORE_VALUE_FLAGS = ['from', ...Object.keys(ANSWER_FLAGS), 'rules', 'lang'];

/** The answers given on the command line (e.g. a target that will be supervised after kitting). */
function compatAnswersFromArgs(args: ParsedArgs): CompatAnswers {
  const answers: CompatAnswers = {};
  for (const [flag, answer] of Object.entries(ANSWER_FLAGS)) {
    const value = flagChoice(args, flag, YES_NO);
    if (value !== undefined) answers[answer] = value === 'yes';
  }
  return answers;
}

/** The compatibility rules: --rules FILE, else the bundled ones. */
async function rulesFromArgs(args: ParsedArgs): Promise<CompatRules> {
  const rulesPath = flagValue(args, 'rules');
  return rulesPath === undefined ? bundledRules() : loadRules(rulesPath);
}

/** The backup folder named by --from (a usage error when missing), made absolute. */
function backupDirFromArgs(args: ParsedArgs): string {
  const backupDir = flagValue(args, 'from');
  if (!backupDir) throw new UsageError('Missing --from <backupDir> (the backup to restore).');
  return path.resolve(backupDir);
}

/** The restore's switches (reboot, system files, settings, copy, removal, apps), the same for one device and for a batch. */
export function restoreSwitchesFromArgs(args: ParsedArgs) {
  return {
    reboot: !hasFlag(args, 'no-reboot'),
    restoreSystemFiles: hasFlag(args, 'system'),
    preserveSettings: hasFlag(args, 'preserve-settings'),
    copyFirst: hasFlag(args, 'copy'),
    removeItemsNotRestored: hasFlag(args, 'remove-items-not-restored'),
    skipApps: hasFlag(args, 'skip-apps'),
  };
}

/**
 * What a restore is told on the command line besides its target devices: the backup, the output language, the rules,
 * the engineer's answers and the backup password when one was given (read once, so a batch asks for it once).
 */
export async function restorePlanArgs(ctx: CliContext) {
  const backupDir = backupDirFromArgs(ctx.args);
  const lang = langFromArgs(ctx);
  const rules = await rulesFromArgs(ctx.args);
  const answers = compatAnswersFromArgs(ctx.args);
  const password = await optionalPassword(ctx);
  return { backupDir, lang, rules, answers, password };
}

/**
 * What preflight and restore are told on the command line: the target device, the backup, the output language,
 * the rules, the engineer's answers and the backup password when one was given. Read in this order, so the
 * first usage error is the one reported.
 */
export async function restoreArgs(ctx: CliContext) {
  const device = deviceFromArgs(ctx, 'the target device UDID');
  return { ...device, ...(await restorePlanArgs(ctx)) };
}
