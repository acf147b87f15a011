import type { InfoPlist } from './infoPlist';
import type { ManifestPlist } from './manifestPlist';

/** Longest UDID accepted from a plist (real ones are 25 or 40 characters). */
const MAX_UDID_CHARS = 64;
// Hex digits and dashes only: a UDID names a folder and a device, so anything else is not one.
const UDID_SHAPE = /^[0-9A-Fa-f-]+$/;

/** The UDID a backup was made from, and which plist key recorded it. */
export interface RecordedUdid {
  udid: string;
  /** e.g. "Info.plist Unique Identifier". */
  recordedBy: string;
}

/**
 * The backup-UDID rule, in one place: a backup belongs to the device its plists record (Info.plist's
 * Unique Identifier, then its Target Identifier, then Manifest.plist's Lockdown UniqueDeviceID). The
 * folder name is never used: it is only the convention hosts follow, and copies sent by customers are
 * often renamed. Values that are not UDID-shaped are passed over. Undefined when no plist records one.
 */
export function recordedBackupUdid(info: InfoPlist | undefined, manifest: ManifestPlist | undefined): RecordedUdid | undefined {
  const candidates: [string | undefined, string][] = [
    [info?.uniqueIdentifier, 'Info.plist Unique Identifier'],
    [info?.targetIdentifier, 'Info.plist Target Identifier'],
    [manifest?.lockdown?.uniqueDeviceId, 'Manifest.plist Lockdown UniqueDeviceID'],
  ];
  for (const [value, recordedBy] of candidates) {
    const udid = value?.trim();
    if (udid !== undefined && udid.length > 0 && udid.length <= MAX_UDID_CHARS && UDID_SHAPE.test(udid)) return { udid, recordedBy };
  }
  return undefined;
}

/** True when two UDIDs name the same device (hosts differ in letter case). */
export function sameUdid(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}
