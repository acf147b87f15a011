import { getBoolean, isPlistDict, type PlistDict, type PlistValue } from '../../plist';
import { displayStrings } from './displayString';

/**
 * What CloudConfigurationDetails.plist says. Setup Assistant writes it from the cloud configuration an
 * Automated Device Enrollment (ADE) server sends, and Apple Configurator writes it when it prepares a
 * device; it is the only place a device records that it is supervised.
 */
export interface CloudConfigurationDetails {
  /** IsSupervised; a missing key means the configuration does not supervise the device. */
  isSupervised: boolean;
  /** OrganizationName, when it is a printable non-empty string. */
  organizationName?: string;
  /** ConfigurationURL: the MDM enrolment URL the ADE server named (absent for Apple Configurator). */
  configurationUrl?: string;
  /** IsMDMUnremovable: the user cannot remove the MDM profile. */
  isMdmUnremovable?: boolean;
  /** IsMandatory: Setup Assistant did not let the user skip enrolment. */
  isMandatory?: boolean;
}

/** The file's content as CloudConfigurationDetails, or a sentence saying why it cannot be trusted. */
export type CloudConfigurationRead = { ok: true; details: CloudConfigurationDetails } | { ok: false; problem: string };

/** Interprets the parsed plist: a dictionary whose IsSupervised, when present, is a boolean. */
export function interpretCloudConfiguration(value: PlistValue): CloudConfigurationRead {
  if (!isPlistDict(value)) return { ok: false, problem: 'Its content is a property list but not a dictionary, so it does not say whether the device is supervised.' };
  const supervised = ownValue(value, 'IsSupervised');
  if (supervised !== undefined && typeof supervised !== 'boolean') {
    // A value of another type is not something a device writes; reading 1 or "YES" as true would be a guess.
    return { ok: false, problem: 'Its IsSupervised value is not true or false, so it does not say whether the device is supervised.' };
  }
  const details: CloudConfigurationDetails = { isSupervised: supervised === true, ...displayStrings(value, { organizationName: 'OrganizationName', configurationUrl: 'ConfigurationURL' }) };
  const unremovable = getBoolean(value, 'IsMDMUnremovable');
  if (unremovable !== undefined) details.isMdmUnremovable = unremovable;
  const mandatory = getBoolean(value, 'IsMandatory');
  if (mandatory !== undefined) details.isMandatory = mandatory;
  return { ok: true, details };
}

/** One sentence: what the cloud configuration says about supervision, the organisation and enrolment. */
export function describeCloudConfiguration(details: CloudConfigurationDetails): string {
  const by = details.organizationName === undefined ? '' : ` by ${details.organizationName}`;
  const parts = [details.isSupervised ? `The cloud configuration says the device is supervised${by}` : `The cloud configuration says the device is not supervised${details.organizationName === undefined ? '' : ` (organisation ${details.organizationName})`}`];
  if (details.configurationUrl !== undefined) {
    const terms = [details.isMandatory === true ? 'mandatory' : undefined, details.isMdmUnremovable === true ? 'MDM profile not removable' : undefined].filter((t) => t !== undefined);
    parts.push(`set up through Automated Device Enrollment with the enrolment URL ${details.configurationUrl}${terms.length > 0 ? ` (${terms.join(', ')})` : ''}`);
  } else if (details.isMdmUnremovable === true) {
    parts.push('with an MDM profile the user cannot remove');
  }
  return `${parts.join(', ')}.`;
}

function ownValue(dict: PlistDict, key: string): PlistValue | undefined {
  return Object.hasOwn(dict, key) ? dict[key] : undefined;
}
