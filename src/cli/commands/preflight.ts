import { UsageError } from '../../errors';
import { evaluateRestore } from '../../compat/evaluateRestore';
import { bundledRules, loadRules } from '../../compat/loadRules';
import { formatReportText } from '../../compat/reportText';
import { LANGS } from '../../compat/rulesModel';
import { sourceFactsFromBackup } from '../../compat/sourceFactsFromBackup';
import { targetFactsFromDevice } from '../../compat/targetFactsFromDevice';
import { readDeviceFacts } from '../../device/readDeviceFacts';
import { flagChoice, flagValue, requirePositional, type ParsedArgs } from '../args';
import { langFromEnvironment } from '../cliLanguage';
import type { CliCommand } from '../context';
import { EXIT_FAILED, EXIT_OK } from '../presentError';
import { usbmuxFromContext } from '../usbmuxFromContext';

const YES_NO = ['yes', 'no'] as const;

/** A yes/no flag as a boolean, or undefined when not given. */
function yesNoFlag(args: ParsedArgs, name: string): boolean | undefined {
  const v = flagChoice(args, name, YES_NO);
  return v === undefined ? undefined : v === 'yes';
}

/**
 * `preflight <udid> --from <backupDir>`: the restore checks without restoring — the backup's
 * facts against the live target device, through the compatibility rules. Facts that neither the
 * backup nor the device can tell are asked for (flags), never guessed; exit 0 only when the
 * restore is supported and every check passes.
 */
export const preflightCommand: CliCommand = {
  name: 'preflight',
  usage: 'preflight <udid> --from <backupDir> [--target-supervised yes|no] [--source-supervised yes|no] [--source-mdm yes|no] [--ade-restore-allowed yes|no] [--rules FILE] [--lang en|ja]',
  summary: 'run the restore checks (compatibility matrix, iOS versions, supervision) without restoring',
  flags: { values: ['from', 'target-supervised', 'source-supervised', 'source-mdm', 'ade-restore-allowed', 'rules', 'lang'] },
  async run(ctx) {
    const udid = requirePositional(ctx.args, 0, 'the target device UDID');
    const backupDir = flagValue(ctx.args, 'from');
    if (!backupDir) throw new UsageError('Missing --from <backupDir> (the backup to restore).');
    const lang = flagChoice(ctx.args, 'lang', LANGS) ?? langFromEnvironment(ctx.env);
    const rulesPath = flagValue(ctx.args, 'rules');
    const rules = rulesPath === undefined ? bundledRules() : await loadRules(rulesPath);

    const source = await sourceFactsFromBackup(backupDir);
    const device = await readDeviceFacts(usbmuxFromContext(ctx), udid, ctx.logger);
    const target = targetFactsFromDevice(device);
    // Answers given on the command line override what could be read (e.g. a target that will be supervised after kitting).
    const targetSupervised = yesNoFlag(ctx.args, 'target-supervised');
    if (targetSupervised !== undefined) target.supervised = targetSupervised;
    const ade = yesNoFlag(ctx.args, 'ade-restore-allowed');
    if (ade !== undefined) target.adeRestoreFromBackupAllowed = ade;
    const sourceSupervised = yesNoFlag(ctx.args, 'source-supervised');
    if (sourceSupervised !== undefined) source.facts.supervisedAtBackup = sourceSupervised;
    const sourceMdm = yesNoFlag(ctx.args, 'source-mdm');
    if (sourceMdm !== undefined) source.facts.mdmEnrolledAtBackup = sourceMdm;

    const report = evaluateRestore(rules, source.facts, target);
    if (ctx.json) {
      ctx.out(JSON.stringify({ backupDir, source: source.facts, sourceNotes: source.notes, target: device, targetFacts: target, report }, null, 2) + '\n');
    } else {
      const lines = [
        `Backup: ${backupDir} (device ${source.facts.udid ?? 'unknown'}, iOS ${source.facts.iosVersion ?? 'unknown'})`,
        `Target: ${device.name ?? udid} (${device.udid}, iOS ${device.iosVersion ?? 'unknown'}, ${device.supervised === undefined ? 'supervision unknown' : device.supervised ? 'supervised' : 'unsupervised'})`,
        ...source.notes.map((n) => `  note: ${n}`),
        '',
        ...formatReportText(rules, report, lang, { verdict: 'overall', questions: true }),
      ];
      ctx.out(lines.join('\n') + '\n');
    }
    return report.supported === 'yes' ? EXIT_OK : EXIT_FAILED;
  },
};
