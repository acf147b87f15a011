import type { MatrixCell } from './cellCandidates';
import type { PreconditionResult } from './preconditionChecks';
import type { Question } from './questions';
import type { Action, AgentState, MdmState, RulesIdentity } from './rulesModel';
import type { LocalizedText } from '../common/localizedText';

/** A three-valued answer: unknown when the facts given do not decide it. */
export type Verdict = 'yes' | 'no' | 'unknown';

/**
 * Everything the evaluator concludes about one restore, as plain JSON-ready data
 * (the CLI prints it, the preflight command and the webview render it).
 */
export interface RestoreReport {
  /** Which rules were applied, so the answer can cite its source. */
  rules: RulesIdentity;
  /** The one matching cell, or null while unknown facts leave several. */
  cell: MatrixCell | null;
  /** Every cell the known facts allow (just `cell` when it is decided). */
  candidates: MatrixCell[];
  /** Overall: the table's answer combined with the preconditions. */
  supported: Verdict;
  /** What the compatibility table alone says (ignoring preconditions). */
  tableSupported: Verdict;
  /** Agent state after the restore; unknown when the candidates disagree. */
  agent: AgentState | 'unknown';
  /** MDM state after the restore; unknown when the candidates disagree. */
  mdm: MdmState | 'unknown';
  /** The cell's remarks; null when the candidates disagree. */
  remarks: LocalizedText | null;
  preconditions: PreconditionResult[];
  /** What to do after the restore (for several candidates: what every one of them needs). */
  postRestoreActions: Action[];
  /** What to do instead when the table says the restore is not supported. */
  alternativeActions: Action[];
  /** The facts still needed, as questions; empty when nothing is left to ask. */
  questions: Question[];
}

/** A report about one explicitly selected cell (the matrix command's case): the cell is always decided. */
export interface SelectionReport extends RestoreReport {
  cell: MatrixCell;
}
