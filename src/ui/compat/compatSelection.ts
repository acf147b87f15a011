import { FACT_KEYS, type FactKey } from '../../compat/facts';
import { checkAnswer } from './factAnswerKinds';

/** Where the backup to restore comes from: an attached device (backed up now) or a backup folder on disk. */
export type SourceRef = { kind: 'device'; udid: string } | { kind: 'backup'; dir: string };

/** An engineer's answer to a question: yes/no for flags, text for UDIDs and iOS versions. */
export type FactAnswer = boolean | string;

/** The engineer's answers, one per fact; only consulted where the devices and the backup do not say. */
export type FactAnswers = Partial<Record<FactKey, FactAnswer>>;

/**
 * Everything the panel remembers across reloads: what is compared, which restore method is shown and the
 * answers given. It is plain JSON because the page keeps it with setState and the serializer hands it back.
 */
export interface CompatSelection {
  source: SourceRef | null;
  targetUdid: string | null;
  /** Id of the rules' procedure shown (iTunes, Finder, iCloud); null shows the first one. */
  methodId: string | null;
  answers: FactAnswers;
}

/** Nothing chosen yet. */
export const EMPTY_SELECTION: CompatSelection = { source: null, targetUdid: null, methodId: null, answers: {} };

/** Chooses a source; answers about the previous source are dropped because they described another backup. */
export function withSource(selection: CompatSelection, source: SourceRef | null): CompatSelection {
  if (sameSource(selection.source, source)) return selection;
  return { ...selection, source, answers: dropAnswers(selection.answers, 'source.') };
}

/** Chooses the target device; answers about the previous target are dropped for the same reason. */
export function withTarget(selection: CompatSelection, targetUdid: string | null): CompatSelection {
  if (sameUdid(selection.targetUdid, targetUdid)) return selection;
  return { ...selection, targetUdid, answers: dropAnswers(selection.answers, 'target.') };
}

/** Records (or, with null, withdraws) an answer. */
export function withAnswer(selection: CompatSelection, fact: FactKey, value: FactAnswer | null): CompatSelection {
  const answers: FactAnswers = { ...selection.answers };
  if (value === null) delete answers[fact];
  else answers[fact] = value;
  return { ...selection, answers };
}

/** Chooses which restore method's procedure is shown. */
export function withMethod(selection: CompatSelection, methodId: string | null): CompatSelection {
  return { ...selection, methodId };
}

/** True when both refer to the same device or folder (UDIDs compare case-insensitively, as the evaluator does). */
export function sameSource(a: SourceRef | null, b: SourceRef | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'device' && b.kind === 'device') return sameUdid(a.udid, b.udid);
  if (a.kind === 'backup' && b.kind === 'backup') return a.dir === b.dir;
  return false;
}

/** Case-insensitive UDID equality that also treats two nulls as equal. */
export function sameUdid(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Reads a selection back from webview state. The state went through the page, so every field is checked and
 * anything malformed is dropped rather than trusted.
 */
export function parseSelection(value: unknown): CompatSelection {
  if (!isRecord(value)) return EMPTY_SELECTION;
  return {
    source: parseSourceRef(value.source),
    targetUdid: typeof value.targetUdid === 'string' && value.targetUdid !== '' ? value.targetUdid : null,
    methodId: typeof value.methodId === 'string' && value.methodId !== '' ? value.methodId : null,
    answers: parseAnswers(value.answers),
  };
}

/** Checks a source reference that came from the page. */
export function parseSourceRef(value: unknown): SourceRef | null {
  if (!isRecord(value)) return null;
  if (value.kind === 'device' && typeof value.udid === 'string' && value.udid !== '') return { kind: 'device', udid: value.udid };
  if (value.kind === 'backup' && typeof value.dir === 'string' && value.dir !== '') return { kind: 'backup', dir: value.dir };
  return null;
}

function parseAnswers(value: unknown): FactAnswers {
  const answers: FactAnswers = {};
  if (!isRecord(value)) return answers;
  for (const fact of FACT_KEYS) {
    if (value[fact] === undefined) continue;
    const checked = checkAnswer(fact, value[fact]);
    if (checked.ok) answers[fact] = checked.value;
  }
  return answers;
}

function dropAnswers(answers: FactAnswers, prefix: 'source.' | 'target.'): FactAnswers {
  const kept: FactAnswers = {};
  for (const fact of FACT_KEYS) {
    const answer = answers[fact];
    if (answer !== undefined && !fact.startsWith(prefix)) kept[fact] = answer;
  }
  return kept;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
