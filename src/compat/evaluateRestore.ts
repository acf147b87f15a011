import { findCandidateCells, type MatrixCell } from './cellCandidates';
import {
  situationFromFacts,
  situationFromSelection,
  type MatrixSelection,
  type RestoreSituation,
  type SourceFacts,
  type TargetFacts,
} from './facts';
import { evaluatePrecondition, type PreconditionResult } from './preconditionChecks';
import { QuestionCollector } from './questions';
import type { RestoreReport, SelectionReport, Verdict } from './restoreReport';
import type { Action, CompatRules } from './rulesModel';

/** Evaluates a restore from what is known about the source backup and the target device (unknown facts become questions). */
export function evaluateRestore(rules: CompatRules, source: SourceFacts, target: TargetFacts): RestoreReport {
  return evaluateSituation(rules, situationFromFacts(source, target));
}

/** Evaluates the one cell chosen by source kind, same/different device and target supervision. */
export function evaluateSelection(rules: CompatRules, selection: MatrixSelection): SelectionReport {
  const report = evaluateSituation(rules, situationFromSelection(selection));
  const cell = report.cell;
  // Validated rules hold every combination exactly once, so a selection always finds its cell.
  if (!cell) throw new Error(`Rules ${rules.identity.id} have no single cell for ${selection.source}/${selection.target}/${selection.targetSupervised}.`);
  return { ...report, cell };
}

/** The evaluator core shared by both entry points. */
function evaluateSituation(rules: CompatRules, situation: RestoreSituation): RestoreReport {
  const questions = new QuestionCollector();
  const candidates = findCandidateCells(rules, situation);
  questions.need(candidates.missingFacts, 'cell');
  const preconditions = rules.preconditions.map((p) => evaluatePrecondition(p, situation));
  for (const result of preconditions) questions.need(result.missingFacts, result.id);

  const cells = candidates.cells;
  const cell = cells.length === 1 ? cells[0] : null;
  const tableSupported = agreedVerdict(cells.map((c) => c.supported));
  const actionById = new Map(rules.actions.map((a) => [a.id, a] as const));
  const resolve = (ids: readonly string[]): Action[] => ids.flatMap((id) => actionById.get(id) ?? []);
  return {
    rules: rules.identity,
    cell,
    candidates: cells,
    supported: overallVerdict(tableSupported, preconditions),
    tableSupported,
    agent: agreed(cells.map((c) => c.agent)) ?? 'unknown',
    mdm: agreed(cells.map((c) => c.mdm)) ?? 'unknown',
    remarks: cell ? cell.remarks : agreedRemarks(cells),
    preconditions,
    postRestoreActions: resolve(commonActionIds(cells, (c) => c.postRestoreActions)),
    alternativeActions: resolve(commonActionIds(cells, (c) => c.alternativeActions)),
    questions: questions.questions(),
  };
}

/** A failed precondition or a × cell says no; only a decided ○ with every precondition passing says yes. */
function overallVerdict(tableSupported: Verdict, preconditions: readonly PreconditionResult[]): Verdict {
  if (tableSupported === 'no' || preconditions.some((p) => p.status === 'fail')) return 'no';
  if (tableSupported === 'yes' && preconditions.every((p) => p.status === 'pass')) return 'yes';
  return 'unknown';
}

function agreedVerdict(values: readonly boolean[]): Verdict {
  const value = agreed(values);
  return value === undefined ? 'unknown' : value ? 'yes' : 'no';
}

/** The value every candidate shares, or undefined when they differ (or there are none). */
function agreed<T>(values: readonly T[]): T | undefined {
  if (values.length === 0) return undefined;
  return values.every((v) => v === values[0]) ? values[0] : undefined;
}

function agreedRemarks(cells: readonly MatrixCell[]): RestoreReport['remarks'] {
  const en = agreed(cells.map((c) => c.remarks.en));
  const ja = agreed(cells.map((c) => c.remarks.ja));
  return en !== undefined && ja !== undefined ? { en, ja } : null;
}

/** Actions every candidate lists, in the first candidate's order: what is needed whatever the open answers are. */
function commonActionIds(cells: readonly MatrixCell[], pick: (c: MatrixCell) => readonly string[]): string[] {
  if (cells.length === 0) return [];
  return pick(cells[0]).filter((id) => cells.every((c) => pick(c).includes(id)));
}
