/**
 * The failure doctor: a knowledge base of backup, encryption and restore failures (data, in
 * knowledge/failures.json) and the matcher that recognises them in text, logs and thrown errors.
 */
export { explainError } from './explainError';
export { explainStream, explainText, DEFAULT_MAX_FINDINGS, DEFAULT_MAX_LINE_CHARS, type ExplainLimits } from './explainText';
export { formatFailureReport } from './formatReport';
export { primaryEntry } from './primaryEntry';
export { MAX_ADVICE_CHARS, shortAdvice, type ShortAdvice } from './shortAdvice';
export { bundledKnowledgeBase, validateKnowledgeBase } from './loadKnowledgeBase';
export { KnowledgeBaseError, isKnowledgeBaseError } from './knowledgeBaseError';
export type {
  CodeReading,
  ErrorOrigin,
  FailureFinding,
  FailureReport,
  FindingForm,
  ParsedFailure,
  ReadingRoute,
  TextLocation,
  UnderlyingError,
} from './failureReport';
export type {
  CodeDomain,
  FailureCertainty,
  FailureEntry,
  FailureKind,
  FailureKnowledgeBase,
  FailureMatch,
  FailurePhase,
  KnownCode,
  KnownUnderlying,
} from './knowledgeModel';
