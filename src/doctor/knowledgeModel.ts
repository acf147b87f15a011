/**
 * The shape of the failure knowledge base (see knowledge/failures.schema.json, which is the
 * authority; these types mirror it so the matcher and the presenters can read it typed).
 */
import type { LocalizedText } from '../common/localizedText';

/** What part of the stack a failure comes from. */
export type FailureKind = 'mobilebackup' | 'lockdown' | 'device-file' | 'connection' | 'host-tool' | 'itunes-finder';

/** Which operation a failure can interrupt. */
export type FailurePhase = 'backup' | 'restore' | 'encryption' | 'pairing' | 'connection';

/**
 * How well the sources back an entry: reported (documented), single-report, unconfirmed (the cause is not
 * confirmed), undocumented (the code was looked for and not found: its meaning is unknown).
 */
export type FailureCertainty = 'reported' | 'single-report' | 'unconfirmed' | 'undocumented';

/**
 * The numbering a code belongs to. Numbers mean nothing without it: -16 is ImmutableValue in current
 * libimobiledevice and InvalidHostID in 1.1.7; 17 is not an MBErrorDomain code but is EEXIST.
 */
export type CodeDomain =
  | 'MBErrorDomain'
  | 'lockdownd'
  | 'lockdownd-legacy'
  | 'DLFileError'
  | 'mobilebackup2-client'
  | 'AFC'
  | 'usbmuxd'
  | 'idevicebackup2-return';

/** A code an entry explains; `text` is the library's own wording for it (matched exactly). */
export interface KnownCode {
  domain: CodeDomain;
  code: number;
  text?: string;
}

/** How an entry is recognised in text, in a code, or in one of the product's own error codes. */
export interface FailureMatch {
  codes?: KnownCode[];
  /** Identifiers recognised as whole words anywhere (lockdownd Error strings). */
  names?: string[];
  /** Identifiers recognised only when the whole query is that word (errno names). */
  tokens?: string[];
  /** Case-insensitive regular expressions for the entry's messages. */
  patterns?: string[];
  /** `DeviceToolError.code` values of this product that this entry explains. */
  productErrorCodes?: string[];
}

/** A code seen nested under the entry's own code in an "Underlying error" chain. */
export interface KnownUnderlying {
  domain: string;
  code: number;
  message?: string;
}

/** One known failure: how to recognise it and what it means, in English and Japanese. */
export interface FailureEntry {
  id: string;
  kind: FailureKind;
  phases: FailurePhase[];
  certainty: FailureCertainty;
  match: FailureMatch;
  knownMessages?: string[];
  knownUnderlying?: KnownUnderlying[];
  title: LocalizedText;
  cause: LocalizedText;
  check: LocalizedText[];
  fix: LocalizedText[];
  notes?: LocalizedText[];
  related?: string[];
  sources: string[];
}

/** The whole knowledge base file. */
export interface FailureKnowledgeBase {
  formatVersion: 1;
  entries: FailureEntry[];
}
