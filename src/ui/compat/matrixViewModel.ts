import * as path from 'node:path';
import { FACT_KEYS, type FactKey } from '../../compat/facts';
import { QUESTION_TEXT } from '../../compat/questions';
import type { RestoreReport } from '../../compat/restoreReport';
import { describeCell } from '../../compat/reportText';
import type { Action, AgentState, CompatCell, CompatRules, MdmState, Step } from '../../compat/rulesModel';
import type { Lang, LocalizedText } from '../../common/localizedText';
import type { DeviceRosterSnapshot } from './attachedDevice';
import type { BackupSnapshot } from './backupSnapshot';
import type { BackupChoice } from './compatSources';
import { sameSource, sameUdid, type CompatSelection, type SourceRef } from './compatSelection';
import type { CompatStrings } from './compatStrings';
import { ANSWER_KIND, type AnswerProblem } from './factAnswerKinds';
import { checksMatchSelection, type RestoreChecksRun } from './restoreChecksRun';
import { buildRestoreChecksView } from './restoreChecksViewModel';
import type { ResolvedFacts } from './restoreFacts';
import type {
  ActionListView,
  ActionView,
  CompatViewModel,
  NoticeView,
  PickerOption,
  PickerView,
  PreconditionView,
  QuestionView,
  RestoreActionView,
  RowMark,
  RowView,
  StepView,
  SymbolView,
  TableView,
  VerdictView,
} from './compatViewModel';

/** Everything the page shows is derived from these; nothing else is consulted. */
export interface MatrixViewInput {
  rules: CompatRules;
  report: RestoreReport;
  lang: Lang;
  strings: CompatStrings;
  selection: CompatSelection;
  /** Where each fact came from and why the others are unknown. */
  facts: Pick<ResolvedFacts, 'origins' | 'unknown' | 'source'>;
  roster: DeviceRosterSnapshot;
  /** The backups the library lists, offered as sources. */
  backups: readonly BackupChoice[];
  /** The chosen backup as read for the evaluation (it may lie outside the backup folder). */
  chosenBackup: BackupSnapshot | undefined;
  /** Typed answers the host refused, per fact. */
  answerErrors: Partial<Record<FactKey, AnswerProblem>>;
  /** The restore checks the restore command last ran, for whichever pair it was. */
  restoreChecks: RestoreChecksRun | undefined;
}

/** Turns the rules and the evaluator's report into the page's view model (pure: no I/O, no vscode). */
export function buildMatrixViewModel(input: MatrixViewInput): CompatViewModel {
  const { rules, report, lang, strings } = input;
  return {
    lang,
    title: strings.title,
    selection: input.selection,
    text: strings.page,
    source: sourcePicker(input),
    target: targetPicker(input),
    notices: notices(input),
    verdict: verdict(input),
    restoreChecks: input.restoreChecks && checksMatchSelection(input.restoreChecks, input.selection) ? buildRestoreChecksView(input.restoreChecks, lang, strings) : null,
    restoreAction: restoreAction(input),
    questions: questions(input),
    preconditions: report.preconditions.map((p, i): PreconditionView => {
      const status = p.informational ? 'info' : p.status;
      return { number: i + 1, status, statusText: strings.status[status], text: p.text[lang], why: p.why[lang], examples: p.examples.map((e) => e[lang]) };
    }),
    afterRestore: afterRestore(input),
    instead:
      report.alternativeActions.length === 0
        ? null
        : { heading: strings.insteadHeading, actions: report.alternativeActions.map((a) => actionView(a, lang, strings)), emptyText: null, note: null },
    methods: {
      label: strings.methodLabel,
      selectedIndex: Math.max(0, rules.procedures.findIndex((p) => p.id === input.selection.methodId)),
      procedures: rules.procedures.map((p) => ({ id: p.id, title: p.title[lang], requirements: p.requirements.map((r) => r[lang]), steps: p.steps.map((s) => stepView(s, lang)) })),
    },
    tables: tables(input),
    citation: strings.citation(
      rules.identity.product[lang],
      rules.identity.documentTitle[lang],
      rules.identity.documentVersion,
      rules.identity.documentDate,
      rules.identity.verifiedIosVersion,
    ),
    scope: rules.identity.scope.map((s) => s[lang]),
  };
}

/** The restore button: only for a backup restored to an attached device, the one pair a restore can start from. */
function restoreAction(input: MatrixViewInput): RestoreActionView | null {
  const { selection, strings } = input;
  if (selection.source?.kind !== 'backup' || selection.targetUdid === null) return null;
  const target = input.roster.devices.find((d) => sameUdid(d.udid, selection.targetUdid));
  if (!target) return null;
  const backupName = input.chosenBackup?.deviceName ?? input.chosenBackup?.udid ?? path.basename(selection.source.dir);
  return { label: strings.restoreButton, description: strings.restoreButtonDescription(backupName, target.facts?.name ?? target.udid) };
}

function sourcePicker(input: MatrixViewInput): PickerView<SourceRef> {
  const { strings, selection, lang } = input;
  const options: PickerOption<SourceRef>[] = [
    ...input.roster.devices.map((d) => ({ label: strings.deviceOption(d.facts?.name ?? strings.unnamedDevice), description: deviceDescription(d.udid, d.facts, strings), value: { kind: 'device' as const, udid: d.udid } })),
    ...input.backups.map((b) => ({ label: strings.backupOption(b.deviceName ?? b.udid ?? path.basename(b.dir)), description: backupDescription(b, lang, strings), value: { kind: 'backup' as const, dir: b.dir } })),
  ];
  const chosen = input.chosenBackup;
  if (chosen && !input.backups.some((b) => b.dir === chosen.dir)) {
    // A folder picked outside the backup folder is offered too, so the picker shows what is compared.
    const choice: BackupChoice = { dir: chosen.dir, udid: chosen.udid, deviceName: chosen.deviceName, iOSVersion: chosen.iosVersion, date: chosen.date };
    options.push({ label: strings.backupOption(chosen.deviceName ?? chosen.udid ?? path.basename(chosen.dir)), description: backupDescription(choice, lang, strings), value: { kind: 'backup', dir: chosen.dir } });
  }
  let selectedIndex = options.findIndex((o) => sameSource(o.value, selection.source));
  if (selectedIndex < 0 && selection.source !== null) {
    // Keep a chosen device that went away (or a folder no longer listed) visible instead of silently unselecting it.
    const chosen = selection.source;
    options.push(
      chosen.kind === 'device'
        ? { label: strings.deviceOption(strings.notAttached(chosen.udid)), description: chosen.udid, value: chosen }
        : { label: strings.backupOption(path.basename(chosen.dir)), description: chosen.dir, value: chosen },
    );
    selectedIndex = options.length - 1;
  }
  return { label: strings.sourceLabel, placeholder: strings.sourcePlaceholder, selectedIndex, options };
}

function targetPicker(input: MatrixViewInput): PickerView<string> {
  const { strings, selection } = input;
  const options: PickerOption<string>[] = input.roster.devices.map((d) => ({
    label: d.facts?.name ?? strings.unnamedDevice,
    description: deviceDescription(d.udid, d.facts, strings),
    value: d.udid,
  }));
  let selectedIndex = options.findIndex((o) => sameUdid(o.value, selection.targetUdid));
  if (selectedIndex < 0 && selection.targetUdid !== null) {
    options.push({ label: strings.notAttached(selection.targetUdid), description: selection.targetUdid, value: selection.targetUdid });
    selectedIndex = options.length - 1;
  }
  return { label: strings.targetLabel, placeholder: strings.targetPlaceholder, selectedIndex, options };
}

function deviceDescription(udid: string, facts: { marketingName?: string; productType?: string; iosVersion?: string } | undefined, strings: CompatStrings): string {
  return [facts?.marketingName ?? facts?.productType, facts?.iosVersion && strings.iosVersion(facts.iosVersion), udid].filter(Boolean).join(' · ');
}

function backupDescription(backup: BackupChoice, lang: Lang, strings: CompatStrings): string {
  const date = backup.date ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(backup.date) : undefined;
  return [date, backup.iOSVersion && strings.iosVersion(backup.iOSVersion), backup.dir].filter(Boolean).join(' · ');
}

function notices(input: MatrixViewInput): NoticeView[] {
  const { roster, selection, strings } = input;
  const list: NoticeView[] = [];
  if (roster.status === 'unreachable') list.push({ tone: 'warning', text: strings.usbmuxUnreachable(roster.problem ?? '') });
  if (roster.status === 'starting') list.push({ tone: 'info', text: strings.lookingForDevices });
  // Only claim "not attached" once the device list is actually known.
  const attached = (udid: string): boolean => roster.status !== 'watching' || roster.devices.some((d) => sameUdid(d.udid, udid));
  if (selection.source?.kind === 'device' && !attached(selection.source.udid)) list.push({ tone: 'warning', text: strings.sourceDetached(selection.source.udid) });
  if (selection.targetUdid !== null && !attached(selection.targetUdid)) list.push({ tone: 'warning', text: strings.targetDetached(selection.targetUdid) });
  const unreadable = selection.source?.kind === 'backup' && input.chosenBackup?.dir === selection.source.dir ? input.chosenBackup.unreadable : undefined;
  if (unreadable !== undefined) list.push({ tone: 'warning', text: strings.backupUnreadable(unreadable) });
  return list;
}

function verdict(input: MatrixViewInput): VerdictView {
  const { rules, report, lang, strings } = input;
  const headline = strings.verdictHeadline[report.supported];
  const caseText = report.cell ? describeCell(rules, report.cell, lang) : null;
  const details: VerdictView['details'] = [];
  if (caseText !== null) details.push({ label: strings.caseLabel, value: caseText });
  details.push({ label: strings.agentAfter, value: stateText(rules.legend.agent, report.agent, lang, strings) });
  details.push({ label: strings.mdmAfter, value: stateText(rules.legend.mdm, report.mdm, lang, strings) });
  if (report.remarks) details.push({ label: strings.remarks, value: report.remarks[lang] });
  // What the backup's own files said about the device at backup time, naming each file: nothing is taken on trust.
  for (const [fact, label] of [
    ['source.supervisedAtBackup', strings.supervisedAtBackup],
    ['source.mdmEnrolledAtBackup', strings.mdmEnrolledAtBackup],
  ] as const) {
    const origin = input.facts.origins[fact];
    const value = fact === 'source.supervisedAtBackup' ? input.facts.source.supervisedAtBackup : input.facts.source.mdmEnrolledAtBackup;
    if (origin?.kind === 'backup' && typeof value === 'boolean') {
      details.push({ label, value: strings.readFromBackup(value ? strings.page.yes : strings.page.no, origin.file) });
    }
  }

  const reasons: string[] = [];
  if (report.tableSupported === 'no') reasons.push(strings.tableSaysNo);
  report.preconditions.forEach((p, i) => {
    if (!p.informational && p.status === 'fail') reasons.push(strings.preconditionFailed(i + 1, p.why[lang]));
  });
  if (report.supported === 'unknown') {
    if (report.cell === null) reasons.push(strings.possibleCases(report.candidates.length));
    report.preconditions.forEach((p, i) => {
      if (p.status === 'unknown') reasons.push(strings.preconditionOpen(i + 1));
    });
    if (report.questions.length > 0) reasons.push(strings.openQuestions(report.questions.length));
  }
  const symbol = report.supported === 'unknown' ? '?' : rules.legend.supported[report.supported].symbol;
  return { tone: report.supported, symbol, headline, caseText, details, reasons, announcement: caseText === null ? headline : `${headline}: ${caseText}` };
}

function stateText(legend: Record<string, { symbol: string; label: LocalizedText }>, state: AgentState | MdmState | 'unknown', lang: Lang, strings: CompatStrings): string {
  const entry = state === 'unknown' ? undefined : legend[state];
  return entry ? `${entry.symbol} ${entry.label[lang]}` : strings.dependsOnAnswers;
}

function questions(input: MatrixViewInput): QuestionView[] {
  const { report, lang, strings, selection, facts } = input;
  const separator = lang === 'ja' ? '、' : ', ';
  const precondNumber = new Map(report.preconditions.map((p, i) => [p.id, i + 1] as const));
  const views: QuestionView[] = [];
  for (const fact of FACT_KEYS) {
    const asked = report.questions.find((q) => q.fact === fact);
    // An answered fact is no longer asked, but stays listed so the answer can be changed or withdrawn.
    const answered = facts.origins[fact]?.kind === 'answer';
    if (!asked && !answered) continue;
    const reason = facts.unknown[fact];
    const decides = (asked?.neededFor ?? []).map((purpose) => {
      const number = precondNumber.get(purpose);
      return purpose === 'cell' || number === undefined ? strings.neededForCell : strings.neededForPrecondition(number);
    });
    const problem = input.answerErrors[fact];
    views.push({
      fact,
      id: `q-${fact.replace('.', '-')}`,
      text: QUESTION_TEXT[fact][lang],
      hint: answered ? strings.answeredByYou : reason ? strings.unknownReason(reason) : '',
      neededFor: decides.length > 0 ? strings.neededFor(decides.join(separator)) : '',
      kind: ANSWER_KIND[fact],
      answer: answered ? (selection.answers[fact] ?? null) : null,
      error: problem ? strings.answerProblem[problem] : null,
    });
  }
  return views;
}

function afterRestore(input: MatrixViewInput): ActionListView {
  const { report, lang, strings } = input;
  const decided = report.cell !== null;
  return {
    heading: strings.afterRestoreHeading,
    actions: report.postRestoreActions.map((a) => actionView(a, lang, strings)),
    // "Nothing needed" is only true for one decided, supported case; otherwise the list may still grow.
    emptyText: decided && report.cell?.supported && report.postRestoreActions.length === 0 ? strings.noStepsNeeded : null,
    note: decided ? null : strings.moreStepsMayApply,
  };
}

function actionView(action: Action, lang: Lang, strings: CompatStrings): ActionView {
  return {
    title: action.title[lang],
    explanation: action.explanation.map((e) => e[lang]),
    steps: action.steps.map((s) => stepView(s, lang)),
    reference: action.reference ? strings.reference(action.reference[lang]) : null,
  };
}

function stepView(step: Step, lang: Lang): StepView {
  return { text: step.text[lang], note: step.note ? step.note[lang] : null };
}

function tables(input: MatrixViewInput): TableView[] {
  const { rules, report, lang, strings } = input;
  const legend = rules.legend;
  const allCells = rules.tables.reduce((n, t) => n + t.cells.length, 0);
  const candidateIds = new Set(report.candidates.map((c) => c.id));
  // Marking every row "possible" says nothing, so candidates are only marked once the facts narrow them down.
  const narrowed = candidateIds.size < allCells;
  const markOf = (cell: CompatCell): RowMark =>
    report.cell?.id === cell.id ? 'current' : report.cell === null && narrowed && candidateIds.has(cell.id) ? 'candidate' : 'none';
  const c = legend.columns;
  return rules.tables.map((table) => {
    const groups: TableView['groups'] = [];
    for (const cell of table.cells) {
      const header = legend.target[cell.target].label[lang];
      let group = groups[groups.length - 1];
      if (!group || group.header !== header) {
        group = { header, rows: [] };
        groups.push(group);
      }
      const mark = markOf(cell);
      const row: RowView = {
        cellId: cell.id,
        targetSupervised: legend.targetSupervised[cell.targetSupervised ? 'yes' : 'no'].label[lang],
        supported: symbolView(legend.supported[cell.supported ? 'yes' : 'no'], cell.supported ? 'yes' : 'no', lang),
        agent: symbolView(legend.agent[cell.agent], AGENT_TONE[cell.agent], lang),
        mdm: symbolView(legend.mdm[cell.mdm], MDM_TONE[cell.mdm], lang),
        remarks: cell.remarks[lang],
        mark,
        markText: mark === 'current' ? strings.yourCase : mark === 'candidate' ? strings.possibleCase : null,
      };
      group.rows.push(row);
    }
    return {
      id: `table-${table.source}`,
      caption: table.title[lang],
      columns: [c.target, c.targetSupervised, c.supported, c.agent, c.mdm, c.remarks].map((col) => col[lang]),
      groups,
    };
  });
}

const AGENT_TONE: Record<AgentState, SymbolView['tone']> = { ok: 'yes', reauth: 'partial', ng: 'no', 'n/a': 'none' };
const MDM_TONE: Record<MdmState, SymbolView['tone']> = { ok: 'yes', ng: 'no', 'n/a': 'none' };

function symbolView(entry: { symbol: string; label: LocalizedText }, tone: SymbolView['tone'], lang: Lang): SymbolView {
  return { symbol: entry.symbol, label: entry.label[lang], tone };
}
