import { UsageError } from '../common/errors';
import { isIosVersion } from '../common/iosVersion';
import type { SourceKind, TargetRelation } from './rulesModel';

/** What is known about the backup (or the device it will be taken from); null or absent means unknown. */
export interface SourceFacts {
  udid?: string | null;
  iosVersion?: string | null;
  supervisedAtBackup?: boolean | null;
  mdmEnrolledAtBackup?: boolean | null;
}

/** What is known about the device to restore to; null or absent means unknown. */
export interface TargetFacts {
  udid?: string | null;
  iosVersion?: string | null;
  supervised?: boolean | null;
  /** True when the ADE definition profile's "Do not enable restore from backup" is "No". */
  adeRestoreFromBackupAllowed?: boolean | null;
}

/** The categorical choice the matrix command makes: one cell of the tables. */
export interface MatrixSelection {
  source: SourceKind;
  target: TargetRelation;
  targetSupervised: boolean;
}

/** Names of the individual facts, used to say which ones are still unknown. */
export type FactKey =
  | 'source.udid'
  | 'source.iosVersion'
  | 'source.supervisedAtBackup'
  | 'source.mdmEnrolledAtBackup'
  | 'target.udid'
  | 'target.iosVersion'
  | 'target.supervised'
  | 'target.adeRestoreFromBackupAllowed';

/** Every fact key, in the order questions are asked (source first, then target). */
export const FACT_KEYS: readonly FactKey[] = [
  'source.mdmEnrolledAtBackup',
  'source.supervisedAtBackup',
  'source.udid',
  'source.iosVersion',
  'target.udid',
  'target.supervised',
  'target.iosVersion',
  'target.adeRestoreFromBackupAllowed',
];

/**
 * The facts the evaluator reasons with, whichever way they were given: undefined means unknown.
 * Same/different device is derived from the UDIDs, so it carries the fact keys to ask when it is unknown.
 */
export interface RestoreSituation {
  sourceSupervisedAtBackup?: boolean;
  sourceMdmEnrolledAtBackup?: boolean;
  sourceIosVersion?: string;
  sameDevice?: boolean;
  /** The facts whose answers would settle sameDevice (empty when it is known). */
  sameDeviceUnknownBecause: FactKey[];
  targetSupervised?: boolean;
  targetIosVersion?: string;
  adeRestoreFromBackupAllowed?: boolean;
}

/** Turns device/backup facts into a situation, rejecting values of the wrong shape instead of guessing. */
export function situationFromFacts(source: SourceFacts, target: TargetFacts): RestoreSituation {
  const sourceUdid = knownUdid(source.udid);
  const targetUdid = knownUdid(target.udid);
  const sameDeviceUnknownBecause: FactKey[] = [];
  if (sourceUdid === undefined) sameDeviceUnknownBecause.push('source.udid');
  if (targetUdid === undefined) sameDeviceUnknownBecause.push('target.udid');
  return {
    sourceSupervisedAtBackup: knownBoolean(source.supervisedAtBackup, 'source.supervisedAtBackup'),
    sourceMdmEnrolledAtBackup: knownBoolean(source.mdmEnrolledAtBackup, 'source.mdmEnrolledAtBackup'),
    sourceIosVersion: knownVersion(source.iosVersion, 'source.iosVersion'),
    // UDIDs are hex and reported in either case by different tools, so compare case-insensitively.
    sameDevice: sourceUdid !== undefined && targetUdid !== undefined ? sourceUdid === targetUdid : undefined,
    sameDeviceUnknownBecause,
    targetSupervised: knownBoolean(target.supervised, 'target.supervised'),
    targetIosVersion: knownVersion(target.iosVersion, 'target.iosVersion'),
    adeRestoreFromBackupAllowed: knownBoolean(target.adeRestoreFromBackupAllowed, 'target.adeRestoreFromBackupAllowed'),
  };
}

/** Turns a matrix selection into a situation: the source kind fixes supervision and enrolment at backup time. */
export function situationFromSelection(selection: MatrixSelection): RestoreSituation {
  return {
    // A "no MDM" backup says nothing about supervision, so that stays unknown rather than assumed.
    sourceSupervisedAtBackup: selection.source === 'no-mdm' ? undefined : selection.source === 'supervised',
    sourceMdmEnrolledAtBackup: selection.source !== 'no-mdm',
    sameDevice: selection.target === 'same',
    sameDeviceUnknownBecause: [],
    targetSupervised: selection.targetSupervised,
  };
}

function knownUdid(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError('A UDID must be a string.');
  const trimmed = value.trim().toLowerCase();
  return trimmed === '' ? undefined : trimmed;
}

function knownBoolean(value: boolean | null | undefined, key: FactKey): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new UsageError(`The fact ${key} must be true, false or unknown (got ${JSON.stringify(value)}).`);
  return value;
}

function knownVersion(value: string | null | undefined, key: FactKey): string | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (!isIosVersion(value)) throw new UsageError(`The fact ${key} must be an iOS version like 16.1 (got "${value}").`);
  return value.trim();
}
