import { getArray, getBoolean, getString, isPlistDict, type PlistValue } from '../../plist';
import { displayString, displayStrings, validDate } from './displayString';

/** The payload type of an MDM enrolment (Apple's Device Management reference, "MDM" payload). */
export const MDM_PAYLOAD_TYPE = 'com.apple.mdm';

/** The most payload items looked at in one profile; real profiles carry a handful, large ones a few dozen. */
export const MAX_PAYLOAD_ITEMS = 1024;

/** What one installed profile's stub says, as far as management is concerned. */
export interface ProfileStub {
  /** PayloadIdentifier of the profile (reverse-DNS), used to find its events. */
  identifier?: string;
  displayName?: string;
  /** PayloadOrganization of the profile. */
  organization?: string;
  installDate?: Date;
  /** The PayloadType of each payload item, in order (bounded). */
  payloadTypes: string[];
  /** The MDM payload, when the profile has one: this profile is the device's MDM enrolment. */
  mdm?: { serverUrl?: string };
}

/** A stub read as a profile, or a sentence saying why it cannot be judged. */
export type ProfileStubRead = { ok: true; stub: ProfileStub } | { ok: false; problem: string };

/**
 * Interprets a parsed stub: a Configuration profile dictionary whose PayloadContent is an array of
 * payload dictionaries. A profile without PayloadContent has no payloads, unless it says it is encrypted,
 * in which case its payloads are not visible and it cannot be ruled out as an enrolment.
 */
export function interpretProfileStub(value: PlistValue): ProfileStubRead {
  if (!isPlistDict(value)) return { ok: false, problem: 'Its content is a property list but not a dictionary, so it is not a profile.' };
  const stub: ProfileStub = { payloadTypes: [], ...displayStrings(value, { identifier: 'PayloadIdentifier', displayName: 'PayloadDisplayName', organization: 'PayloadOrganization' }) };
  const installDate = validDate(value, 'InstallDate');
  if (installDate !== undefined) stub.installDate = installDate;

  if (!Object.hasOwn(value, 'PayloadContent')) {
    if (getBoolean(value, 'IsEncrypted') === true) {
      return { ok: false, problem: 'The profile is stored encrypted, so its payloads, and whether it is an MDM enrolment, cannot be seen.' };
    }
    return { ok: true, stub };
  }
  const content = getArray(value, 'PayloadContent');
  if (content === undefined) return { ok: false, problem: 'Its PayloadContent is not a list of payloads, so it cannot be told whether it is an MDM enrolment.' };
  for (const item of content.slice(0, MAX_PAYLOAD_ITEMS)) {
    if (!isPlistDict(item)) continue;
    const type = getString(item, 'PayloadType');
    if (type === undefined) continue;
    stub.payloadTypes.push(displayString(type) ?? '?');
    if (type === MDM_PAYLOAD_TYPE && stub.mdm === undefined) {
      const serverUrl = displayString(getString(item, 'ServerURL'));
      stub.mdm = serverUrl === undefined ? {} : { serverUrl };
    }
  }
  if (content.length > MAX_PAYLOAD_ITEMS && stub.mdm === undefined) {
    return { ok: false, problem: `Its PayloadContent has ${content.length} items, more than the ${MAX_PAYLOAD_ITEMS} a profile plausibly holds, so it was not judged.` };
  }
  return { ok: true, stub };
}

/** How the profile is named in a sentence: its display name and identifier, or whichever it has. */
export function profileName(stub: ProfileStub): string {
  if (stub.displayName !== undefined && stub.identifier !== undefined) return `"${stub.displayName}" (${stub.identifier})`;
  if (stub.displayName !== undefined) return `"${stub.displayName}"`;
  return stub.identifier ?? 'without a name';
}
