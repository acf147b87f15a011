import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { computeFileId, hashedFilePath } from '../../src/backup/format/fileId';
import { encodeInfoPlist } from '../../src/backup/format/infoPlist';
import { MANIFEST_FLAGS } from '../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../src/backup/format/manifestDbBuilder';
import { encodeManifestPlist } from '../../src/backup/format/manifestPlist';
import { encodeMbFile } from '../../src/backup/format/mbFile';
import { encodeStatusPlist } from '../../src/backup/format/statusPlist';
import { mbFileOf } from '../../src/simulator/backup/backupDocuments';
import type { VirtualDevice } from '../../src/simulator/virtualDevice';

/** A file added to a backup beside the device's own content (e.g. a cloud configuration); it replaces a file of the device at the same place. */
export interface ExtraBackupFile {
  domain: string;
  relativePath: string;
  bytes: Buffer;
}

/**
 * Writes an unencrypted backup folder `<root>/<udid>/` of what a simulated device holds, in the
 * layout a device and host produce together (Status.plist finished, Manifest.plist, Manifest.db,
 * Info.plist, hashed files), without a DeviceLink session, so restore tests need no backup tool.
 */
export async function writeDeviceBackupFolder(root: string, device: VirtualDevice, options: { extraFiles?: ExtraBackupFile[]; productVersion?: string } = {}): Promise<string> {
  const dir = path.join(root, device.udid);
  await fs.mkdir(dir, { recursive: true });
  const content = device.currentContent();
  const db = await ManifestDbBuilder.create();
  try {
    db.putMany(
      content.entries.map((entry) => ({
        domain: entry.domain,
        relativePath: entry.relativePath,
        flags: entry.kind === 'file' ? MANIFEST_FLAGS.file : MANIFEST_FLAGS.directory,
        file: encodeMbFile(mbFileOf(entry, undefined)),
      })),
    );
    for (const entry of content.files()) {
      const target = hashedFilePath(dir, entry.fileID);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, Buffer.concat([...content.content(entry)]));
    }
    for (const extra of options.extraFiles ?? []) {
      db.put({
        domain: extra.domain,
        relativePath: extra.relativePath,
        flags: MANIFEST_FLAGS.file,
        file: encodeMbFile({ relativePath: extra.relativePath, size: extra.bytes.length, mode: 0o100644, lastModified: 1_700_000_000, birth: 1_700_000_000, protectionClass: 3 }),
      });
      const target = hashedFilePath(dir, computeFileId(extra.domain, extra.relativePath));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, extra.bytes);
    }
    await fs.writeFile(path.join(dir, 'Manifest.db'), db.serialize());
  } finally {
    db.close();
  }
  const spec = device.spec;
  const productVersion = options.productVersion ?? spec.productVersion;
  await fs.writeFile(
    path.join(dir, 'Manifest.plist'),
    encodeManifestPlist({
      isEncrypted: false,
      version: '10.0',
      date: new Date(),
      lockdown: { productVersion, productType: spec.productType, buildVersion: spec.buildVersion, uniqueDeviceId: spec.udid, serialNumber: spec.serialNumber, deviceName: spec.name },
    }),
  );
  await fs.writeFile(path.join(dir, 'Status.plist'), encodeStatusPlist({ backupState: 'new', date: new Date(), isFullBackup: true, snapshotState: 'finished', uuid: randomUUID().toUpperCase(), version: '3.3' }));
  await fs.writeFile(path.join(dir, 'Info.plist'), encodeInfoPlist({ deviceName: spec.name, productVersion, uniqueIdentifier: spec.udid.toUpperCase(), targetIdentifier: spec.udid, applications: {} }));
  return dir;
}
