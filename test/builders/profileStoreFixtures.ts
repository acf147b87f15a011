import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createFileKey, createKeybag, createManifestKey, encryptFileData, encryptManifestDb } from '../../src/backup/crypto';
import { hashedFilePath } from '../../src/backup/format/fileId';
import { MANIFEST_DB_FILE, MANIFEST_FLAGS } from '../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../src/backup/format/manifestDbBuilder';
import { encodeManifestPlist, MANIFEST_PLIST_FILE } from '../../src/backup/format/manifestPlist';
import { encodeMbFile } from '../../src/backup/format/mbFile';
import { CONFIGURATION_PROFILES_DOMAIN } from '../../src/backup/inspect/configurationProfileStore';
import { buildBinaryPlist, buildXmlPlist, type PlistDict } from '../../src/plist';
import { testManifest, TEST_UDID, type TestBackupItem } from './testBackupBuilder';

/** Builds a device's configuration-profile store as backup items, in the documented format. */

export const STORE_FOLDER = 'Library/ConfigurationProfiles';
export const CLOUD_PATH = `${STORE_FOLDER}/CloudConfigurationDetails.plist`;
export const EVENTS_PATH = `${STORE_FOLDER}/MCProfileEvents.plist`;
export const MDM_PROFILE_ID = 'com.example.mdm.enrollment';
export const MDM_INSTALL_DATE = new Date('2024-03-04T05:06:07Z');

export type PlistEncoding = 'binary' | 'xml';

export function encodePlist(value: PlistDict, encoding: PlistEncoding = 'binary'): Buffer {
  return encoding === 'binary' ? buildBinaryPlist(value) : Buffer.from(buildXmlPlist(value), 'utf8');
}

/** `Library/ConfigurationProfiles/profile-<40 hex>.stub`, the hash derived from the profile's identifier. */
export function stubPath(profileIdentifier: string): string {
  return `${STORE_FOLDER}/profile-${createHash('sha1').update(profileIdentifier).digest('hex')}.stub`;
}

/** CloudConfigurationDetails.plist as Setup Assistant writes it for a device enrolled through ADE. */
export function cloudConfiguration(options: { supervised: boolean; organizationName?: string; ade?: boolean }): PlistDict {
  const dict: PlistDict = {
    AllowPairing: true,
    CloudConfigurationUIComplete: true,
    IsSupervised: options.supervised,
    IsMandatory: true,
    IsMDMUnremovable: true,
  };
  if (options.organizationName !== undefined) dict.OrganizationName = options.organizationName;
  if (options.ade !== false) dict.ConfigurationURL = 'https://mdm.example.com/enroll';
  return dict;
}

/** The stub of the MDM enrolment profile: a Configuration profile whose payloads include com.apple.mdm. */
export function mdmStub(options: { organization?: string } = {}): PlistDict {
  const stub: PlistDict = {
    PayloadType: 'Configuration',
    PayloadIdentifier: MDM_PROFILE_ID,
    PayloadUUID: '6C1E2B0A-1D2E-4F3A-9B8C-7D6E5F4A3B2C',
    PayloadDisplayName: 'Device Management',
    InstallDate: MDM_INSTALL_DATE,
    PayloadVersion: 1,
    PayloadContent: [
      { PayloadType: 'com.apple.security.scep', PayloadIdentifier: `${MDM_PROFILE_ID}.scep`, PayloadUUID: '0B7C3A52-2F0D-4E5B-8C1A-3D4E5F6A7B8C' },
      {
        PayloadType: 'com.apple.mdm',
        PayloadIdentifier: `${MDM_PROFILE_ID}.mdm`,
        PayloadUUID: '1A2B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D',
        ServerURL: 'https://mdm.example.com/mdm/server',
        CheckInURL: 'https://mdm.example.com/mdm/checkin',
        Topic: 'com.apple.mgmt.External.0d1c2b3a-4f5e-6d7c-8b9a-0f1e2d3c4b5a',
        AccessRights: 8191,
      },
    ],
  };
  if (options.organization !== undefined) stub.PayloadOrganization = options.organization;
  return stub;
}

/** A profile that is not an enrolment: one Wi-Fi payload. */
export function wifiStub(identifier = 'com.example.wifi'): PlistDict {
  return {
    PayloadType: 'Configuration',
    PayloadIdentifier: identifier,
    PayloadUUID: '9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A',
    PayloadDisplayName: 'Office Wi-Fi',
    PayloadOrganization: 'Wi-Fi Team',
    InstallDate: new Date('2024-01-02T03:04:05Z'),
    PayloadContent: [{ PayloadType: 'com.apple.wifi.managed', PayloadIdentifier: `${identifier}.wifi`, PayloadUUID: '2B3C4D5E-6F7A-4B8C-9D0E-1F2A3B4C5D6E', SSID_STR: 'Office' }],
  };
}

/** MCProfileEvents.plist: one install of the MDM profile by profiled, one of the Wi-Fi profile. */
export function profileEvents(): PlistDict {
  return {
    ProfileEvents: [
      { 'com.example.wifi': { timestamp: new Date('2024-01-02T03:04:05Z'), process: 'Settings', operation: 'install' } },
      { [MDM_PROFILE_ID]: { timestamp: MDM_INSTALL_DATE, process: 'profiled', operation: 'install' } },
    ],
  };
}

/** A file of the store. */
export function storeFile(relativePath: string, content: Buffer): TestBackupItem {
  return { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath, kind: 'file', content };
}

/** The folders a device's store has, as rows of the domain. */
export function storeFolders(): TestBackupItem[] {
  return [
    { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: 'Library', kind: 'directory' },
    { domain: CONFIGURATION_PROFILES_DOMAIN, relativePath: STORE_FOLDER, kind: 'directory' },
  ];
}

/** The store of a supervised device enrolled in MDM through ADE, with a Wi-Fi profile beside the enrolment. */
export function supervisedEnrolledStore(encoding: PlistEncoding = 'binary', organizationName = 'Example Corp'): TestBackupItem[] {
  return [
    ...storeFolders(),
    storeFile(CLOUD_PATH, encodePlist(cloudConfiguration({ supervised: true, organizationName }), encoding)),
    storeFile(EVENTS_PATH, encodePlist(profileEvents(), encoding)),
    storeFile(stubPath(MDM_PROFILE_ID), encodePlist(mdmStub({ organization: 'Example Corp IT' }), encoding)),
    storeFile(stubPath('com.example.wifi'), encodePlist(wifiStub(), encoding)),
  ];
}

/** Another domain, so a backup without the store is still a backup with content. */
export function otherItems(): TestBackupItem[] {
  return [{ domain: 'HomeDomain', relativePath: 'Library/Preferences/com.apple.foo.plist', kind: 'file', content: Buffer.from('<plist/>') }];
}

export const PASSWORD = 'store password ✓';

/**
 * Writes an encrypted backup the way a device does (keybag in Manifest.plist, ManifestKey, encrypted
 * Manifest.db, each file under its own key of class 3), holding `items`.
 */
export async function writeEncryptedStoreBackup(root: string, items: readonly TestBackupItem[]): Promise<string> {
  const dir = path.join(root, TEST_UDID);
  await fs.mkdir(dir, { recursive: true });
  const keybag = await createKeybag({ password: PASSWORD, iterations: 10, dpIterations: 100 });
  const db = await ManifestDbBuilder.create();
  try {
    for (const item of items) {
      const mode = item.kind === 'file' ? 0o100644 : item.kind === 'directory' ? 0o040755 : 0o120755;
      if (item.kind !== 'file') {
        db.put({ domain: item.domain, relativePath: item.relativePath, flags: MANIFEST_FLAGS[item.kind], file: encodeMbFile({ relativePath: item.relativePath, size: 0, mode, protectionClass: 0, target: item.target }) });
        continue;
      }
      const content = item.content ?? Buffer.alloc(0);
      const { fileKey, encryptionKey } = createFileKey(3, keybag.classKeys);
      const fileID = db.put({
        domain: item.domain,
        relativePath: item.relativePath,
        flags: MANIFEST_FLAGS.file,
        file: encodeMbFile({ relativePath: item.relativePath, size: content.length, mode, protectionClass: 3, encryptionKey }),
      });
      if (item.content === undefined) continue;
      const target = hashedFilePath(dir, fileID);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, encryptFileData(fileKey, content));
    }
    const plainDb = db.serialize();
    const { manifestDbKey, manifestKey } = createManifestKey(keybag.classKeys);
    const padded = Buffer.concat([plainDb, Buffer.alloc((16 - (plainDb.length % 16)) % 16)]);
    await fs.writeFile(path.join(dir, MANIFEST_DB_FILE), encryptManifestDb(padded, manifestDbKey));
    await fs.writeFile(path.join(dir, MANIFEST_PLIST_FILE), encodeManifestPlist({ ...testManifest(), isEncrypted: true, backupKeyBag: keybag.bytes, manifestKey }));
  } finally {
    db.close();
  }
  return dir;
}
