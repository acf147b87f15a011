/**
 * What the Restore Compatibility page renders. Every text is already localized and every decision already
 * made on the host, so the page only turns this into DOM. Plain JSON: it crosses postMessage and setState.
 */
import type { FactKey } from '../../compat/facts';
import type { CompatSelection, FactAnswer, SourceRef } from './compatSelection';
import type { AnswerKind } from './factAnswerKinds';

/** The three-valued outcome the page colours and words: yes, no, not decided. */
export type Tone = 'yes' | 'no' | 'unknown';

/** The whole page. */
export interface CompatViewModel {
  /** BCP 47 language of the texts (sets <html lang> so screen readers pronounce them right). */
  lang: string;
  title: string;
  /** What the page keeps with setState so the panel comes back the same after a reload. */
  selection: CompatSelection;
  text: PageText;
  source: PickerView<SourceRef>;
  target: PickerView<string>;
  notices: NoticeView[];
  verdict: VerdictView;
  /** The restore checks run for this backup and target by the restore command; null when none were run for this pair. */
  restoreChecks: RestoreChecksView | null;
  /** The "Restore to this device…" button, shown when a backup and an attached target are chosen; null otherwise. */
  restoreAction: RestoreActionView | null;
  questions: QuestionView[];
  preconditions: PreconditionView[];
  afterRestore: ActionListView;
  /** What to do instead; null when the table offers no alternative. */
  instead: ActionListView | null;
  methods: MethodsView;
  tables: TableView[];
  /** Which vendor document the rules come from. */
  citation: string;
  /** The document's own statement of its scope. */
  scope: string[];
}

/** Fixed headings and button labels. */
export interface PageText {
  selectionHeading: string;
  browseBackup: string;
  refresh: string;
  verdictHeading: string;
  questionsHeading: string;
  questionsIntro: string;
  noQuestions: string;
  preconditionsHeading: string;
  tablesHeading: string;
  methodHeading: string;
  requirementsHeading: string;
  stepsHeading: string;
  examplesLabel: string;
  yes: string;
  no: string;
  apply: string;
  clearAnswer: string;
  aboutHeading: string;
}

/** A drop-down: its label, the choices, and which one is selected (-1 for none). */
export interface PickerView<T> {
  label: string;
  placeholder: string;
  selectedIndex: number;
  options: PickerOption<T>[];
}

/** One choice of a picker; `value` is sent back to the host as is. */
export interface PickerOption<T> {
  label: string;
  description: string;
  value: T;
}

/** A message above the verdict (usbmuxd unreachable, a chosen device detached, ...). */
export interface NoticeView {
  tone: 'info' | 'warning';
  text: string;
}

/** The answer in words. */
export interface VerdictView {
  tone: Tone;
  /** ○ × ? as the vendor document prints them; decorative, the headline says the same in words. */
  symbol: string;
  headline: string;
  /** The table case that applies, in the document's words; null while several are possible. */
  caseText: string | null;
  details: { label: string; value: string }[];
  /** Why the verdict is no or not decided yet (failed preconditions, open questions). */
  reasons: string[];
  /** One sentence for the live region, announced when it changes. */
  announcement: string;
}

/** The checks made before a restore (the backup, its password, the device, the vendor's rules). */
export interface RestoreChecksView {
  heading: string;
  /** running: the backup and the device are being read; done: every check has its outcome. */
  state: 'running' | 'done';
  /** yes: the restore may start; no: a check failed; unknown: some checks could not be told. */
  tone: Tone;
  summary: string;
  items: RestoreCheckView[];
  /** The button that runs the full health check on the backup (the checks ran only its quick part); null while running. */
  verifyAction: RestoreActionView | null;
}

/** One restore check as a checklist item. */
export interface RestoreCheckView {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  statusText: string;
  title: string;
  sentence: string;
  /** What to do, for a check that did not pass. */
  action: string | null;
}

/** The button that starts the restore command for the chosen backup and target. */
export interface RestoreActionView {
  label: string;
  /** Says what the button will do (read by screen readers and shown as its tooltip). */
  description: string;
}

/** A fact nobody could read, asked of the engineer (or an answer they gave, so it can be changed). */
export interface QuestionView {
  fact: FactKey;
  /** Stable DOM id, so focus can be put back after a re-render. */
  id: string;
  text: string;
  /** Why the fact is unknown, or that it was answered by the engineer. */
  hint: string;
  /** What the answer decides (the case, which preconditions); empty for an answer no longer needed. */
  neededFor: string;
  kind: AnswerKind;
  answer: FactAnswer | null;
  /** Why the last typed answer was refused. */
  error: string | null;
}

/** One precondition as a checklist item. */
export interface PreconditionView {
  number: number;
  status: 'pass' | 'fail' | 'unknown' | 'info';
  statusText: string;
  text: string;
  why: string;
  examples: string[];
}

/** One instruction and its caveat. */
export interface StepView {
  text: string;
  note: string | null;
}

/** Something to do after (or instead of) the restore. */
export interface ActionView {
  title: string;
  explanation: string[];
  steps: StepView[];
  reference: string | null;
}

/** A titled list of actions with what to say when it is empty or incomplete. */
export interface ActionListView {
  heading: string;
  actions: ActionView[];
  /** Shown when there are no actions (null: show nothing). */
  emptyText: string | null;
  /** Shown under the list, e.g. that more steps may follow once the questions are answered. */
  note: string | null;
}

/** The restore-method selector and each method's procedure. */
export interface MethodsView {
  label: string;
  selectedIndex: number;
  procedures: ProcedureView[];
}

/** One restore method. */
export interface ProcedureView {
  id: string;
  title: string;
  requirements: string[];
  steps: StepView[];
}

/** One of the three compatibility tables. */
export interface TableView {
  id: string;
  caption: string;
  /** Column headings, in order: target, target supervised, supported, agent, MDM, remarks. */
  columns: string[];
  /** Rows grouped by same/different device, whose heading spans its rows. */
  groups: RowGroupView[];
}

/** The rows for "same device" or "different device". */
export interface RowGroupView {
  header: string;
  rows: RowView[];
}

/** How one row relates to the current selection. */
export type RowMark = 'current' | 'candidate' | 'none';

/** One cell of the vendor's matrix, i.e. one table row. */
export interface RowView {
  cellId: string;
  targetSupervised: string;
  supported: SymbolView;
  agent: SymbolView;
  mdm: SymbolView;
  remarks: string;
  mark: RowMark;
  /** "Your case" / "Possible case" for the row's marker (visible and read by screen readers). */
  markText: string | null;
}

/** A document symbol (○ × △ -) with its meaning in words. */
export interface SymbolView {
  symbol: string;
  label: string;
  tone: 'yes' | 'no' | 'partial' | 'none';
}
