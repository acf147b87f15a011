import { UsageError } from '../../common/errors';
import { evaluateSelection } from '../../compat/evaluateRestore';
import type { MatrixSelection } from '../../compat/facts';
import { bundledRules, loadRules } from '../../compat/loadRules';
import type { SelectionReport } from '../../compat/restoreReport';
import { formatReportText } from '../../compat/reportText';
import { SOURCE_KINDS, TARGET_RELATIONS } from '../../compat/rulesModel';
import { LANGS } from '../../common/localizedText';
import { flagChoice, flagValue, type ParsedArgs } from '../args';
import { command, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_OK } from '../presentError';
import { langFromEnvironment } from '../cliLanguage';

const YES_NO = ['yes', 'no'] as const;

/** `matrix`: the vendor table's verdict for one backup/target combination (exit 1 when it is not supported). */
export const matrixCommand = command({
  usage: 'matrix --source unsupervised|supervised|no-mdm --target same|different --target-supervised yes|no [--rules FILE] [--lang en|ja]',
  summary: 'MDM restore compatibility from the vendor rules: supported, agent/MDM state, remarks, steps.',
  flags: { values: ['source', 'target', 'target-supervised', 'rules', 'lang'] },
  async run(ctx: CliContext): Promise<number> {
    if (ctx.args.positionals.length > 0) {
      throw new UsageError(`matrix takes no positional arguments (got "${ctx.args.positionals[0]}").`);
    }
    const selection = selectionFromArgs(ctx.args);
    const lang = flagChoice(ctx.args, 'lang', LANGS) ?? langFromEnvironment(ctx.env);
    const rulesPath = flagValue(ctx.args, 'rules');
    const rules = rulesPath === undefined ? bundledRules() : await loadRules(rulesPath);
    const report = evaluateSelection(rules, selection);
    if (ctx.json) {
      ctx.out(JSON.stringify(matrixJson(report), null, 2) + '\n');
    } else {
      ctx.out(formatReportText(rules, report, lang, { verdict: 'table', questions: false }).join('\n') + '\n');
    }
    // A × cell is a failed check in the CLI contract; preconditions are reported but need facts matrix does not have.
    return report.cell.supported ? EXIT_OK : EXIT_FAILED;
  },
});

/** The --json document of the matrix command. */
export interface MatrixJson {
  cellId: string;
  source: MatrixSelection['source'];
  target: MatrixSelection['target'];
  targetSupervised: boolean;
  supported: boolean;
  agent: SelectionReport['cell']['agent'];
  mdm: SelectionReport['cell']['mdm'];
  remarks: SelectionReport['cell']['remarks'];
  steps: SelectionReport['postRestoreActions'];
  alternatives: SelectionReport['alternativeActions'];
  preconditions: SelectionReport['preconditions'];
  rules: SelectionReport['rules'];
}

/** Builds the --json document from a selection report. */
export function matrixJson(report: SelectionReport): MatrixJson {
  const { cell } = report;
  return {
    cellId: cell.id,
    source: cell.source,
    target: cell.target,
    targetSupervised: cell.targetSupervised,
    supported: cell.supported,
    agent: cell.agent,
    mdm: cell.mdm,
    remarks: cell.remarks,
    steps: report.postRestoreActions,
    alternatives: report.alternativeActions,
    preconditions: report.preconditions,
    rules: report.rules,
  };
}

function selectionFromArgs(args: ParsedArgs): MatrixSelection {
  const source = flagChoice(args, 'source', SOURCE_KINDS);
  const target = flagChoice(args, 'target', TARGET_RELATIONS);
  const targetSupervised = flagChoice(args, 'target-supervised', YES_NO);
  if (source === undefined) throw new UsageError(`Missing --source (one of ${SOURCE_KINDS.join(', ')}).`);
  if (target === undefined) throw new UsageError(`Missing --target (one of ${TARGET_RELATIONS.join(', ')}).`);
  if (targetSupervised === undefined) throw new UsageError(`Missing --target-supervised (one of ${YES_NO.join(', ')}).`);
  return { source, target, targetSupervised: targetSupervised === 'yes' };
}
