/**
 * The one vocabulary for where a restore fact came from and why one is unknown. The restore checks, the CLI and
 * the compatibility panel all speak it; the CLI words it with factProvenanceText, the panel localizes the same
 * codes with vscode.l10n. Nothing here reads anything: the readers of devices and backups fill it in.
 */

/** A fact's value as the evaluator takes it: yes/no for flags, text for UDIDs and iOS versions. */
export type FactValue = string | boolean;

/** Where a known fact came from. */
export type FactOrigin =
  /** Read from the attached device. */
  | { kind: 'device' }
  /** Read from a file of the backup; `file` names it (a plist of the folder, or domain/relative path). */
  | { kind: 'backup'; file: string }
  /** Given by the engineer, because nothing could read it. */
  | { kind: 'answer' };

/** Why a fact is unknown, as a code (with the reader's own sentence where there is one). */
export type UnknownReason =
  | { code: 'no-source' }
  | { code: 'no-target' }
  | { code: 'device-detached' }
  | { code: 'device-reading' }
  | { code: 'device-unreadable'; detail: string }
  | { code: 'device-limited'; detail: string }
  | { code: 'device-not-reported' }
  | { code: 'backup-reading' }
  /** The backup folder could not be read at all. */
  | { code: 'backup-unreadable'; detail: string }
  /** The backup's plists do not record this (UDID, iOS version). */
  | { code: 'backup-not-recorded' }
  /** The backup is encrypted and no password was given, so its configuration-profile store stays closed. */
  | { code: 'backup-encrypted-needs-password'; detail: string }
  /** The password given does not open the backup. */
  | { code: 'backup-wrong-password'; detail: string }
  /** The backup holds no configuration-profile store (or its Manifest.db cannot be read to find one). */
  | { code: 'backup-store-absent'; detail: string }
  /** A file of the configuration-profile store is there but could not be read or understood. */
  | { code: 'backup-file-unreadable'; detail: string }
  /** A setting on the MDM management site: nothing on a device or in a backup tells it. */
  | { code: 'management-site' }
  | { code: 'malformed-version'; detail: string };

/** One fact as a reader found it: its value and where it came from, or why it is unknown. */
export type FactSlot = { value: FactValue; origin: FactOrigin } | { reason: UnknownReason };

/** Every code of UnknownReason, so the wordings can be checked for completeness. */
export const UNKNOWN_REASON_CODES: readonly UnknownReason['code'][] = [
  'no-source',
  'no-target',
  'device-detached',
  'device-reading',
  'device-unreadable',
  'device-limited',
  'device-not-reported',
  'backup-reading',
  'backup-unreadable',
  'backup-not-recorded',
  'backup-encrypted-needs-password',
  'backup-wrong-password',
  'backup-store-absent',
  'backup-file-unreadable',
  'management-site',
  'malformed-version',
];

/** A known fact from a reader. */
export function known(value: FactValue, origin: FactOrigin): FactSlot {
  return { value, origin };
}

/** An unknown fact and why. */
export function unknown(reason: UnknownReason): FactSlot {
  return { reason };
}
