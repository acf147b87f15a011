import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashedFilePath } from '../../src/backup/format/fileId';
import { encodeInfoPlist, INFO_PLIST_FILE, type InfoPlist } from '../../src/backup/format/infoPlist';
import { MANIFEST_DB_FILE, MANIFEST_FLAGS } from '../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../src/backup/format/manifestDbBuilder';
import { encodeManifestPlist, MANIFEST_PLIST_FILE, type ManifestPlist } from '../../src/backup/format/manifestPlist';
import { encodeMbFile } from '../../src/backup/format/mbFile';
import type { PlistFormat } from '../../src/backup/format/plistDocument';
import { encodeStatusPlist, STATUS_PLIST_FILE, type StatusPlist } from '../../src/backup/format/statusPlist';

/** One item to put into a test backup. */
export interface TestBackupItem {
  domain: string;
  relativePath: string;
  kind: 'file' | 'directory' | 'symlink';
  /** File content written to the hashed path (files only); omit to leave the content file out. */
  content?: Buffer;
  /** Size recorded in the MBFile record; defaults to the content length. */
  recordedSize?: number;
  target?: string;
}

/** How to build a test backup; every part can be left out or replaced. */
export interface TestBackupOptions {
  udid?: string;
  plistFormat?: PlistFormat;
  info?: InfoPlist | null;
  status?: StatusPlist | null;
  manifest?: ManifestPlist | null;
  items?: TestBackupItem[];
}

export const TEST_UDID = '00008110-000A1B2C3D4E801E';
export const TEST_DATE = new Date('2024-05-06T07:08:09Z');

/** Info.plist as a host would write it for the test device. */
export function testInfo(udid = TEST_UDID): InfoPlist {
  return {
    deviceName: 'Support iPhone',
    displayName: 'Support iPhone',
    productType: 'iPhone14,5',
    productVersion: '16.1',
    buildVersion: '20B82',
    serialNumber: 'F2LTESTSERIAL',
    uniqueIdentifier: udid.toUpperCase(),
    guid: '0123456789ABCDEF0123456789ABCDEF',
    targetIdentifier: udid,
    targetType: 'Device',
    lastBackupDate: new Date('2024-05-06T07:00:00Z'),
    iTunesVersion: '10.0.1',
    installedApplications: ['com.example.notes'],
    applications: {},
    iTunesSettings: {},
  };
}

/** Status.plist of a finished backup. */
export function testStatus(): StatusPlist {
  return {
    isFullBackup: true,
    version: '3.3',
    backupState: 'new',
    date: TEST_DATE,
    uuid: '5F0E1B4C-3A2D-4E6F-8A9B-0C1D2E3F4A5B',
    snapshotState: 'finished',
  };
}

/** Manifest.plist of an unencrypted backup. */
export function testManifest(udid = TEST_UDID): ManifestPlist {
  return {
    isEncrypted: false,
    version: '10.0',
    date: TEST_DATE,
    systemDomainsVersion: '24.0',
    wasPasscodeSet: true,
    lockdown: {
      productVersion: '16.1',
      productType: 'iPhone14,5',
      buildVersion: '20B82',
      uniqueDeviceId: udid,
      serialNumber: 'F2LTESTSERIAL',
      deviceName: 'Support iPhone',
    },
    applications: {},
  };
}

/** A handful of items in two domains, including a folder and a symlink. */
export function testItems(): TestBackupItem[] {
  return [
    { domain: 'HomeDomain', relativePath: 'Library', kind: 'directory' },
    { domain: 'HomeDomain', relativePath: 'Library/Preferences', kind: 'directory' },
    { domain: 'HomeDomain', relativePath: 'Library/Preferences/com.apple.foo.plist', kind: 'file', content: Buffer.from('<plist>foo</plist>') },
    { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', kind: 'file', content: Buffer.from('sqlite bytes') },
    { domain: 'HomeDomain', relativePath: 'Library/link', kind: 'symlink', target: '/private/var/mobile' },
    { domain: 'MediaDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0001.JPG', kind: 'file', content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) },
  ];
}

/** A fresh temporary folder (removed by the caller). */
export async function makeTempDir(prefix = 'iosbr-format-'): Promise<string> {
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
}

/** Writes a backup folder `<root>/<udid>` with the writers under test and returns its path. */
export async function writeTestBackup(root: string, options: TestBackupOptions = {}): Promise<string> {
  const udid = options.udid ?? TEST_UDID;
  const format = options.plistFormat ?? 'binary';
  const dir = path.join(root, udid);
  await fs.mkdir(dir, { recursive: true });
  const info = options.info === undefined ? testInfo(udid) : options.info;
  const status = options.status === undefined ? testStatus() : options.status;
  const manifest = options.manifest === undefined ? testManifest(udid) : options.manifest;
  if (info) await fs.writeFile(path.join(dir, INFO_PLIST_FILE), encodeInfoPlist(info, format));
  if (status) await fs.writeFile(path.join(dir, STATUS_PLIST_FILE), encodeStatusPlist(status, format));
  if (manifest) await fs.writeFile(path.join(dir, MANIFEST_PLIST_FILE), encodeManifestPlist(manifest, format));

  const db = await ManifestDbBuilder.create();
  try {
    for (const item of options.items ?? testItems()) {
      const mode = item.kind === 'file' ? 0o100644 : item.kind === 'directory' ? 0o040755 : 0o120755;
      const blob = encodeMbFile({
        relativePath: item.relativePath,
        size: item.recordedSize ?? item.content?.length ?? 0,
        mode,
        userId: 501,
        groupId: 501,
        inodeNumber: 1000,
        birth: 1_700_000_000,
        lastModified: 1_700_000_100,
        lastStatusChange: 1_700_000_200,
        flags: 0,
        protectionClass: item.kind === 'file' ? 3 : 0,
        target: item.target,
      });
      const fileID = db.put({ domain: item.domain, relativePath: item.relativePath, flags: MANIFEST_FLAGS[item.kind], file: blob });
      if (item.kind === 'file' && item.content !== undefined) {
        const contentPath = hashedFilePath(dir, fileID);
        await fs.mkdir(path.dirname(contentPath), { recursive: true });
        await fs.writeFile(contentPath, item.content);
      }
    }
    await db.writeFile(path.join(dir, MANIFEST_DB_FILE));
  } finally {
    db.close();
  }
  return dir;
}
