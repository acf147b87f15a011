import { FACT_KEYS, type FactKey, type SourceFacts, type TargetFacts } from './facts';
import type { FactOrigin, FactSlot, FactValue, UnknownReason } from './factProvenance';
import { isIosVersion } from '../common/iosVersion';

/** The facts handed to the evaluator, and for each fact where it came from or why it is missing. */
export interface ResolvedFacts {
  source: SourceFacts;
  target: TargetFacts;
  origins: Partial<Record<FactKey, FactOrigin>>;
  unknown: Partial<Record<FactKey, UnknownReason>>;
  /** Answers given for facts that were read after all: not used, because what was read wins. */
  unusedAnswers: FactKey[];
  /** Facts of the restore moment where the engineer's answer replaced a different value read now. */
  overriddenReads: FactKey[];
}

/** The engineer's answers, one per fact. */
export type FactAnswerValues = Partial<Record<FactKey, FactValue>>;

/**
 * The one resolution of restore facts, shared by the restore checks, the CLI and the panel: what the readers
 * found, then the engineer's answers. A fact read from a device or a backup always wins; an answer only fills a
 * fact nothing could read, so an answer can never talk the rules out of what the evidence says. `overrides` are
 * the engineer's explicit statements about the moment of the restore (a replacement device that Automated
 * Device Enrollment will supervise in Setup Assistant, after these checks ran): they win, and a different
 * value read now is listed in `overriddenReads`. A version that
 * is not an iOS version becomes unknown (the rules compare versions numerically), never an error.
 */
export function resolveFacts(slots: Partial<Record<FactKey, FactSlot>>, answers: FactAnswerValues = {}, overrides: FactAnswerValues = {}): ResolvedFacts {
  const overriddenReads: FactKey[] = [];
  const origins: ResolvedFacts['origins'] = {};
  const unknown: ResolvedFacts['unknown'] = {};
  const unusedAnswers: FactKey[] = [];
  const values: Partial<Record<FactKey, FactValue>> = {};
  for (const fact of FACT_KEYS) {
    let slot: FactSlot = slots[fact] ?? { reason: { code: 'device-not-reported' } };
    if ('value' in slot && !hasShape(fact, slot.value)) slot = { reason: malformed(fact, slot.value) };
    const answer = answers[fact];
    if (answer !== undefined) {
      if ('reason' in slot && hasShape(fact, answer)) slot = { value: answer, origin: { kind: 'answer' } };
      else if ('value' in slot) unusedAnswers.push(fact);
    }
    const override = overrides[fact];
    if (override !== undefined && hasShape(fact, override)) {
      if ('value' in slot && slot.value !== override) overriddenReads.push(fact);
      slot = { value: override, origin: { kind: 'answer' } };
    }
    if ('value' in slot) {
      values[fact] = slot.value;
      origins[fact] = slot.origin;
    } else {
      unknown[fact] = slot.reason;
    }
  }
  return {
    source: {
      udid: text(values['source.udid']),
      iosVersion: text(values['source.iosVersion']),
      supervisedAtBackup: flag(values['source.supervisedAtBackup']),
      mdmEnrolledAtBackup: flag(values['source.mdmEnrolledAtBackup']),
    },
    target: {
      udid: text(values['target.udid']),
      iosVersion: text(values['target.iosVersion']),
      supervised: flag(values['target.supervised']),
      adeRestoreFromBackupAllowed: flag(values['target.adeRestoreFromBackupAllowed']),
    },
    origins,
    unknown,
    unusedAnswers,
    overriddenReads,
  };
}

const FLAG_FACTS: readonly FactKey[] = ['source.supervisedAtBackup', 'source.mdmEnrolledAtBackup', 'target.supervised', 'target.adeRestoreFromBackupAllowed'];
const VERSION_FACTS: readonly FactKey[] = ['source.iosVersion', 'target.iosVersion'];

/** True when a value fits its fact: a boolean for a flag, an iOS version for a version, non-empty text for a UDID. */
function hasShape(fact: FactKey, value: FactValue): boolean {
  if (FLAG_FACTS.includes(fact)) return typeof value === 'boolean';
  if (typeof value !== 'string' || value.trim() === '') return false;
  return VERSION_FACTS.includes(fact) ? isIosVersion(value) : true;
}

function malformed(fact: FactKey, value: FactValue): UnknownReason {
  return VERSION_FACTS.includes(fact) ? { code: 'malformed-version', detail: String(value) } : { code: 'device-not-reported' };
}

const text = (value: FactValue | undefined): string | undefined => (typeof value === 'string' ? value.trim() : undefined);
const flag = (value: FactValue | undefined): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
