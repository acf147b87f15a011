/**
 * What the failure doctor returns: every failure it recognised (or parsed and could not explain),
 * where it was, what was parsed, and the knowledge-base entries that explain it.
 */
import type { ErrorCode } from '../common/errorCodes';
import type { LocalizedText } from '../common/localizedText';
import type { CodeDomain, FailureEntry } from './knowledgeModel';

/** Where a finding is in the text that was examined. */
export interface TextLocation {
  /** 1-based line number. */
  line: number;
  /** Offsets of the recognised span within the line (UTF-16 code units, end exclusive). */
  start: number;
  end: number;
  /** The line (cut to a readable length, secrets masked) the span was found in. */
  text: string;
}

/** Which of our own thrown errors a finding came from (explainError). */
export interface ErrorOrigin {
  /** The error class name (BackupError, LockdownError, …). */
  errorName: string;
  /** DeviceToolError.code, when the error has one. */
  errorCode?: ErrorCode;
  /** The field that carried the code (deviceErrorCode, lockdownCode, resultNumber, status, code, message). */
  field: string;
  /** 0 for the error itself, 1 for its cause, and so on. */
  causeDepth: number;
}

/**
 * How a value written in the text became a code: as written; as an idevicebackup2 exit status
 * (the shell keeps −N mod 256); as idevicebackup2's return value (−ErrorCode); or by a library's wording.
 */
export type ReadingRoute = 'as-written' | 'exit-status' | 'negated-return' | 'library-text';

/** One way a number or name in the text was read. */
export interface CodeReading {
  domain: CodeDomain;
  code: number;
  route: ReadingRoute;
  /** The sentence that says how the value was read (shown to the user, so the interpretation is never silent). */
  explanation: LocalizedText;
  /** Entries that explain this code; empty when the code is unknown. */
  entryIds: string[];
}

/** One link of an "Underlying error" chain. */
export interface UnderlyingError {
  domain?: string;
  code?: number;
  text: string;
  entryIds: string[];
}

/** What kind of thing was recognised. */
export type FindingForm = 'error-code' | 'exit-status' | 'number' | 'lockdown-error' | 'file-error' | 'link-error' | 'message' | 'name' | 'product-error';

/** The pieces parsed out of the text or error. */
export interface ParsedFailure {
  form: FindingForm;
  domain?: string;
  code?: number;
  /** An error name as written (InvalidHostID, PasswordProtected, …). */
  name?: string;
  /** The error description as written (ErrorDescription without its chain). */
  description?: string;
  /** The exit status as written, for exit-status findings. */
  exitStatus?: number;
  /** The operation a "Backup Failed" / "Restore Failed" line names. */
  operation?: 'backup' | 'restore';
  underlying: UnderlyingError[];
}

/** One recognised (or parsed but unknown) failure. */
export interface FailureFinding {
  location?: TextLocation;
  origin?: ErrorOrigin;
  parsed: ParsedFailure;
  readings: CodeReading[];
  /** Entries that explain the finding, the most specific first (underlying-error entries after the main ones). */
  entryIds: string[];
  /** True when at least one entry explains it with documented knowledge. */
  recognised: boolean;
  /** Things the user must know about how it was read (ambiguities, numbering differences). */
  notes: LocalizedText[];
}

/** The doctor's answer for a text, a log or an error. */
export interface FailureReport {
  findings: FailureFinding[];
  /** Every entry a finding refers to, by id. */
  entries: Record<string, FailureEntry>;
  /** True when at least one failure was recognised (also among omitted findings). */
  recognised: boolean;
  linesRead: number;
  /** Lines longer than the line cap; only their start was examined. */
  cutLines: number;
  /** Findings beyond the findings cap, counted but not kept. */
  omittedFindings: number;
}
