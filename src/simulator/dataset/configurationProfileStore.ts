import { createHash } from 'node:crypto';
import { buildBinaryPlist, type PlistDict } from '../../plist';
import type { ManagedDevice } from '../deviceManagement';
import { mdmEnrollmentFor } from '../mdmEnrollment';

/** The backup domain of the device's configuration-profile store (profiled's system group container). */
export const CONFIGURATION_PROFILES_DOMAIN = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles';
/** The store's folder inside that domain. */
export const CONFIGURATION_PROFILES_FOLDER = 'Library/ConfigurationProfiles';
/** Supervision and the cloud (ADE) configuration the device was set up with. */
export const CLOUD_CONFIGURATION_PATH = `${CONFIGURATION_PROFILES_FOLDER}/CloudConfigurationDetails.plist`;
/** The log of profile installs and removals. */
export const PROFILE_EVENTS_PATH = `${CONFIGURATION_PROFILES_FOLDER}/MCProfileEvents.plist`;
/** One installed profile: `profile-<SHA-1 hex of its identifier>.stub`. */
export const PROFILE_STUB_PATH = /^Library\/ConfigurationProfiles\/profile-[0-9a-f]{40}\.stub$/;

/**
 * Data-protection class of the store's files: 3, "until first user authentication". No public source
 * we found records the class of these particular files, so they get the class Apple documents as the
 * default for data not assigned another one (see docs/simulator.md#the-configuration-profile-store).
 */
export const PROFILE_STORE_PROTECTION_CLASS = 3;

/** One file of the store, with its bytes (a few hundred bytes each). */
export interface ProfileStoreFile {
  relativePath: string;
  bytes: Buffer;
  /** Unix seconds. */
  birth: number;
  /** Unix seconds; follows the bytes, so a host comparing dates sees a changed file as changed. */
  lastModified: number;
}

// Unix seconds: Setup Assistant finished on 2023-01-01, the MDM profile came a day later.
const SETUP_COMPLETED = 1_672_531_200;
const PROFILE_INSTALLED = SETUP_COMPLETED + 86_400;
/** Modification dates fall within this many seconds after setup. */
const MODIFIED_SPREAD_SECONDS = 300 * 86_400;

/** Where the stub of the profile with this identifier is. */
export function profileStubPath(profileIdentifier: string): string {
  return `${CONFIGURATION_PROFILES_FOLDER}/profile-${createHash('sha1').update(profileIdentifier, 'utf8').digest('hex')}.stub`;
}

/** True for the files the store is made of: its cloud configuration, its profile events and its profile stubs. */
export function isProfileStoreFile(domain: string, relativePath: string): boolean {
  return domain === CONFIGURATION_PROFILES_DOMAIN && (relativePath === CLOUD_CONFIGURATION_PATH || relativePath === PROFILE_EVENTS_PATH || PROFILE_STUB_PATH.test(relativePath));
}

/**
 * CloudConfigurationDetails.plist: every device that finished Setup Assistant has one. It names the
 * organisation of a supervised or enrolled device, and for a supervised device enrolled through the
 * cloud configuration, the MDM it must enrol with and that the enrolment cannot be removed.
 */
function cloudConfiguration(device: ManagedDevice): PlistDict {
  const managed = device.supervised || device.mdm === 'enrolled';
  const dict: PlistDict = { AllowPairing: true, CloudConfigurationUIComplete: true, IsSupervised: device.supervised };
  if (managed) dict.OrganizationName = device.organizationName;
  if (device.supervised && device.mdm === 'enrolled') {
    dict.ConfigurationURL = mdmEnrollmentFor(device.organizationName).configurationUrl;
    dict.IsMandatory = true;
    dict.IsMDMUnremovable = true;
  }
  return dict;
}

/** The stub profiled keeps of the installed MDM enrolment profile: the profile with its com.apple.mdm payload. */
function mdmProfileStub(device: ManagedDevice): PlistDict {
  const enrollment = mdmEnrollmentFor(device.organizationName);
  return {
    PayloadType: 'Configuration',
    PayloadIdentifier: enrollment.profileIdentifier,
    PayloadUUID: enrollment.profileUuid,
    PayloadDisplayName: `${device.organizationName} MDM`,
    PayloadOrganization: device.organizationName,
    PayloadVersion: 1,
    InstallDate: new Date(PROFILE_INSTALLED * 1000),
    PayloadContent: [
      {
        PayloadType: 'com.apple.mdm',
        PayloadIdentifier: enrollment.mdmPayloadIdentifier,
        PayloadUUID: enrollment.mdmPayloadUuid,
        PayloadVersion: 1,
        ServerURL: enrollment.serverUrl,
        CheckInURL: enrollment.checkInUrl,
        Topic: enrollment.topic,
        AccessRights: 8191,
        SignMessage: true,
      },
    ],
  };
}

/** MCProfileEvents.plist: one install event per installed profile (none on a device without profiles). */
function profileEvents(device: ManagedDevice): PlistDict {
  if (device.mdm !== 'enrolled') return { ProfileEvents: [] };
  const identifier = mdmEnrollmentFor(device.organizationName).profileIdentifier;
  return { ProfileEvents: [{ [identifier]: { timestamp: new Date(PROFILE_INSTALLED * 1000), process: 'profiled', operation: 'install' } }] };
}

function storeFile(relativePath: string, value: PlistDict): ProfileStoreFile {
  const bytes = buildBinaryPlist(value);
  const spread = createHash('sha256').update(bytes).digest().readUInt32LE(0) % MODIFIED_SPREAD_SECONDS;
  return { relativePath, bytes, birth: SETUP_COMPLETED, lastModified: SETUP_COMPLETED + spread };
}

/**
 * The configuration-profile store of a device with this management state, in path order. Nothing
 * in it depends on anything but the state, so it is byte-identical from one backup to the next and
 * two devices in the same state hold the same store.
 */
export function configurationProfileStore(device: ManagedDevice): ProfileStoreFile[] {
  const files = [storeFile(CLOUD_CONFIGURATION_PATH, cloudConfiguration(device)), storeFile(PROFILE_EVENTS_PATH, profileEvents(device))];
  if (device.mdm === 'enrolled') files.push(storeFile(profileStubPath(mdmEnrollmentFor(device.organizationName).profileIdentifier), mdmProfileStub(device)));
  return files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}
