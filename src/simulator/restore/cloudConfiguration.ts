import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { getArray, getBoolean, getString, isPlistDict, parsePlist, type PlistDict } from '../../plist';
import { CLOUD_CONFIGURATION_PATH, CONFIGURATION_PROFILES_DOMAIN, PROFILE_STUB_PATH } from '../dataset/configurationProfileStore';
import type { Management } from '../deviceManagement';

/** Where iOS keeps a device's cloud configuration (supervision, ADE/MDM enrolment) in a backup. */
export const CLOUD_CONFIGURATION_ITEM = { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: CLOUD_CONFIGURATION_PATH } as const;

/** A cloud configuration or a profile stub is a small plist; anything bigger is not one. */
const MAX_BYTES = 1024 * 1024;
/** Stubs read at most: a device has a handful of profiles; a backup listing thousands is not believed. */
const MAX_STUBS = 64;
/** Payloads looked at per profile. */
const MAX_PAYLOADS = 256;

/** One restored file of the profile store: its path in the domain and where its bytes were staged. */
export interface StagedStoreFile {
  relativePath: string;
  stagedPath: string;
}

/** What the backup's profile store says, and which of its files said it. */
export interface StoreManagement {
  management: Management;
  /** One clause per file that decided something, for the device log. */
  evidence: string[];
}

/** Reads a staged plist whole, refusing anything that is not a regular file of plausible size. */
function readSmallPlist(file: string): PlistDict | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
    const bytes = Buffer.alloc(stat.size);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, done);
      if (n === 0) break;
      done += n;
    }
    const value = parsePlist(bytes.subarray(0, done));
    return isPlistDict(value) ? value : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** True when the profile has a payload of type com.apple.mdm: it is the MDM enrolment. */
function isMdmProfile(stub: PlistDict): boolean {
  const content = getArray(stub, 'PayloadContent') ?? [];
  return content.slice(0, MAX_PAYLOADS).some((payload) => isPlistDict(payload) && getString(payload, 'PayloadType') === 'com.apple.mdm');
}

/**
 * The management state the backup's configuration-profile store records, read from the restored
 * files themselves: supervision from CloudConfigurationDetails.plist (IsSupervised); MDM enrolment
 * when that file names an MDM (ConfigurationURL, IsMandatory or IsMDMUnremovable) or an installed
 * profile stub holds a com.apple.mdm payload. Undefined when the backup has neither a readable
 * cloud configuration nor a profile stub: it says nothing about management.
 */
export function managementFromProfileStore(files: readonly StagedStoreFile[]): StoreManagement | undefined {
  const evidence: string[] = [];
  let supervised: boolean | undefined;
  let enrolled = false;
  const cloudFile = files.find((f) => f.relativePath === CLOUD_CONFIGURATION_PATH);
  const cloud = cloudFile ? readSmallPlist(cloudFile.stagedPath) : undefined;
  if (cloud) {
    supervised = getBoolean(cloud, 'IsSupervised') === true;
    const namesMdm = (getString(cloud, 'ConfigurationURL') ?? '') !== '' || getBoolean(cloud, 'IsMandatory') === true || getBoolean(cloud, 'IsMDMUnremovable') === true;
    enrolled = namesMdm;
    evidence.push(`CloudConfigurationDetails.plist says ${supervised ? 'supervised' : 'not supervised'}${namesMdm ? ', with an MDM' : ''}`);
  }
  let stubsRead = 0;
  for (const file of files) {
    if (!PROFILE_STUB_PATH.test(file.relativePath) || stubsRead >= MAX_STUBS) continue;
    stubsRead++;
    const stub = readSmallPlist(file.stagedPath);
    if (stub && isMdmProfile(stub)) {
      enrolled = true;
      evidence.push(`${file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1)} is an MDM enrolment profile`);
      break;
    }
  }
  if (supervised === undefined && stubsRead === 0) return undefined;
  return { management: { supervised: supervised ?? false, mdm: enrolled ? 'enrolled' : 'none' }, evidence };
}
