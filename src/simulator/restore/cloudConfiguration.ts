import { readFileSync, statSync } from 'node:fs';
import { getBoolean, getString, isPlistDict, parsePlist } from '../../plist';
import type { Management } from './backupTimeManagement';

/** Where iOS keeps a device's cloud configuration (supervision, ADE/MDM enrolment) in a backup. */
export const CLOUD_CONFIGURATION_ITEM = {
  domain: 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles',
  relativePath: 'Library/ConfigurationProfiles/CloudConfigurationDetails.plist',
} as const;

/** A cloud configuration is a small plist; anything bigger is not one. */
const MAX_BYTES = 1024 * 1024;

/**
 * The management state a restored CloudConfigurationDetails.plist describes: IsSupervised, and
 * MDM enrolment when it names an MDM (ConfigurationURL, IsMandatory or IsMDMUnremovable).
 * Undefined when the file cannot be read as a dictionary.
 */
export function managementFromCloudConfiguration(file: string): Management | undefined {
  try {
    if (statSync(file).size > MAX_BYTES) return undefined;
    const dict = parsePlist(readFileSync(file));
    if (!isPlistDict(dict)) return undefined;
    const enrolled = (getString(dict, 'ConfigurationURL') ?? '') !== '' || getBoolean(dict, 'IsMandatory') === true || getBoolean(dict, 'IsMDMUnremovable') === true;
    return { supervised: getBoolean(dict, 'IsSupervised') === true, mdm: enrolled ? 'enrolled' : 'none' };
  } catch {
    return undefined;
  }
}
