/**
 * The shape of a restore-compatibility rules file (see rules.schema.json, which is the
 * authority; these types mirror it so the evaluator and the webview can read it typed).
 */

import type { LocalizedText } from '../common/localizedText';

/** What the backup device was at backup time: one compatibility table each. */
export type SourceKind = 'unsupervised' | 'supervised' | 'no-mdm';

/** Every source kind, in the document's table order. */
export const SOURCE_KINDS: readonly SourceKind[] = ['unsupervised', 'supervised', 'no-mdm'];

/** Whether the restore target is the device the backup was made on. */
export type TargetRelation = 'same' | 'different';

/** Every target relation, in the document's row order. */
export const TARGET_RELATIONS: readonly TargetRelation[] = ['same', 'different'];

/** Agent authentication state after a restore: ○ ok, △ reauth (authenticated as the previous device), × ng, - n/a. */
export type AgentState = 'ok' | 'reauth' | 'ng' | 'n/a';

/** MDM authentication state after a restore: ○ ok, × ng, - n/a. */
export type MdmState = 'ok' | 'ng' | 'n/a';

/** The built-in checks a precondition can name; the evaluator implements each one. */
export type PreconditionCheck =
  | 'target-ios-at-least-backup-ios'
  | 'restore-reproduces-backup-state'
  | 'no-unsupervised-backup-to-same-supervised-device'
  | 'ade-restore-from-backup-allowed';

/** Where the rules come from, so a UI can cite its source. */
export interface RulesIdentity {
  id: string;
  mdmProduct: string;
  product: LocalizedText;
  publisher: LocalizedText;
  documentTitle: LocalizedText;
  documentVersion: string;
  /** ISO date (YYYY-MM-DD) of the document version. */
  documentDate: string;
  /** The iOS version the vendor verified the rules on. */
  verifiedIosVersion: string;
  revisions: { date: string; pages: string; change: LocalizedText }[];
  /** The document's own statement of what it covers (and that anything else is unsupported). */
  scope: LocalizedText[];
}

/** A condition that must hold before restoring, evaluated by its named check. */
export interface Precondition {
  id: string;
  check: PreconditionCheck;
  text: LocalizedText;
  examples: LocalizedText[];
}

/** One instruction, with an optional caveat printed under it. */
export interface Step {
  text: LocalizedText;
  note?: LocalizedText;
}

/** A vendor-described way to restore (iTunes, Finder, iCloud): requirements then ordered steps. */
export interface Procedure {
  id: string;
  title: LocalizedText;
  requirements: LocalizedText[];
  steps: Step[];
}

/** Something to do after (or instead of) a restore, referenced by cells by id. */
export interface Action {
  id: string;
  title: LocalizedText;
  explanation: LocalizedText[];
  steps: Step[];
  /** The vendor manual section that describes it, when the document names one. */
  reference?: LocalizedText;
}

/** How a value is printed in the document (○ × △ - or a word) and what it means. */
export interface LegendSymbol {
  symbol: string;
  label: LocalizedText;
}

/** Column headings and value symbols for rendering the tables as the document does. */
export interface Legend {
  columns: Record<'target' | 'targetSupervised' | 'supported' | 'agent' | 'mdm' | 'remarks', LocalizedText>;
  target: Record<TargetRelation, LegendSymbol>;
  targetSupervised: Record<'yes' | 'no', LegendSymbol>;
  supported: Record<'yes' | 'no', LegendSymbol>;
  agent: Record<AgentState, LegendSymbol>;
  mdm: Record<MdmState, LegendSymbol>;
}

/** One row of a compatibility table: a target situation and what a restore into it gives. */
export interface CompatCell {
  id: string;
  target: TargetRelation;
  targetSupervised: boolean;
  supported: boolean;
  agent: AgentState;
  mdm: MdmState;
  remarks: LocalizedText;
  postRestoreActions: string[];
  alternativeActions: string[];
}

/** The table for one kind of backup device. */
export interface CompatTable {
  source: SourceKind;
  title: LocalizedText;
  cells: CompatCell[];
}

/** A whole rules file. */
export interface CompatRules {
  $schema?: string;
  formatVersion: 1;
  identity: RulesIdentity;
  preconditions: Precondition[];
  procedures: Procedure[];
  actions: Action[];
  legend: Legend;
  tables: CompatTable[];
}
