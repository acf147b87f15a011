import type { LocalizedText } from '../common/localizedText';
import type { FailureIndex } from './failureIndex';
import type { CodeReading, ReadingRoute } from './failureReport';
import type { CodeDomain } from './knowledgeModel';
import { impossibleExitNote, readingExplanation, successExitNote } from './readingTexts';

/** The readings of a number plus notes on readings that were impossible. */
export interface NumberReadings {
  readings: CodeReading[];
  notes: LocalizedText[];
}

/**
 * Every documented way to read a number typed on its own: a positive N is MBErrorDomain/N or an
 * idevicebackup2 exit status; a negative −N is idevicebackup2's return value (−ErrorCode) or a
 * libimobiledevice error number. Readings with no entry are dropped when another reading has one.
 */
export function readingsForBareNumber(value: number, index: FailureIndex): NumberReadings {
  if (value === 0) return { readings: [], notes: [successExitNote()] };
  const readings: CodeReading[] = [];
  if (value > 0) {
    readings.push(reading(value, 'as-written', 'MBErrorDomain', value, index));
    if (value < 256) readings.push(...exitStatusReadings(value, index));
  } else {
    readings.push(...returnValueReadings(value, 'negated-return', index));
    for (const domain of ['lockdownd', 'lockdownd-legacy', 'DLFileError', 'mobilebackup2-client'] as const) {
      readings.push(reading(value, 'as-written', domain, value, index));
    }
  }
  return { readings: preferKnown(readings), notes: [] };
}

/** The readings of an exit status printed by a shell or a wrapper ("exited with status 45", "exit code -211"). */
export function readingsForExitStatus(status: number, index: FailureIndex): NumberReadings {
  if (status === 0) return { readings: [], notes: [successExitNote()] };
  if (status < 0) return { readings: preferKnown(returnValueReadings(status, 'negated-return', index)), notes: [] };
  if (status > 255) return { readings: [], notes: [impossibleExitNote(status)] };
  return { readings: preferKnown(exitStatusReadings(status, index)), notes: [] };
}

/** One reading of a value in a domain, with its entries looked up. */
export function reading(written: number, route: ReadingRoute, domain: CodeDomain, code: number, index: FailureIndex, libraryText?: string): CodeReading {
  return {
    domain,
    code,
    route,
    explanation: readingExplanation(written, route, domain, code, libraryText ?? index.textForCode(domain, code)),
    entryIds: index.entriesForCode(domain, code).map((e) => e.id),
  };
}

/** Keeps only readings that have entries, unless none has: then all stay, to show what was tried. */
export function preferKnown(readings: CodeReading[]): CodeReading[] {
  const known = readings.filter((r) => r.entryIds.length > 0);
  return known.length > 0 ? known : readings;
}

// idevicebackup2 returns −ErrorCode, and −1 for its own setup failures; the shell shows 256 − N.
function exitStatusReadings(status: number, index: FailureIndex): CodeReading[] {
  const returned = status - 256;
  return [
    reading(status, 'exit-status', 'MBErrorDomain', -returned, index),
    ...(returned === -1 ? [reading(status, 'exit-status', 'idevicebackup2-return', -1, index)] : []),
  ];
}

function returnValueReadings(returned: number, route: ReadingRoute, index: FailureIndex): CodeReading[] {
  return [
    reading(returned, route, 'MBErrorDomain', -returned, index),
    ...(returned === -1 ? [reading(returned, route, 'idevicebackup2-return', -1, index)] : []),
  ];
}
