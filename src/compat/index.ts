/** Restore compatibility: the vendor's rules as data, their loader, the evaluator and a text rendering. */
export type { MatrixCell, CellCandidates } from './cellCandidates';
export { findCandidateCells, possibleSourceKinds } from './cellCandidates';
export type { FactKey, MatrixSelection, RestoreSituation, SourceFacts, TargetFacts } from './facts';
export { FACT_KEYS, situationFromFacts, situationFromSelection } from './facts';
export { evaluateRestore, evaluateSelection } from './evaluateRestore';
export type { IosVersion } from './iosVersion';
export { compareIosVersions, isIosVersion, parseIosVersion } from './iosVersion';
export { bundledRules, loadRules, validateRules } from './loadRules';
export type { PreconditionResult, PreconditionStatus } from './preconditionChecks';
export { evaluatePrecondition } from './preconditionChecks';
export type { Question } from './questions';
export { QUESTION_TEXT, QuestionCollector } from './questions';
export type { RestoreReport, SelectionReport, Verdict } from './restoreReport';
export type { ReportTextOptions } from './reportText';
export { describeCell, formatReportText } from './reportText';
export { RulesError, isRulesError } from './rulesError';
export type * from './rulesModel';
export { AGENT_STATES, LANGS, MDM_STATES, SOURCE_KINDS, TARGET_RELATIONS } from './rulesModel';
