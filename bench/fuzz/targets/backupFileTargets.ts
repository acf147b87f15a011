import * as fc from 'fast-check';
import { parseKeybag } from '../../../src/backup/crypto';
import { encodeInfoPlist, parseInfoPlist } from '../../../src/backup/format/infoPlist';
import { ManifestDb, MANIFEST_FLAGS } from '../../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../../src/backup/format/manifestDbBuilder';
import { encodeManifestPlist, isManifestEncrypted, parseManifestPlist } from '../../../src/backup/format/manifestPlist';
import { decodeMbFile, encodeMbFile, mbFileKindFromMode } from '../../../src/backup/format/mbFile';
import { encodeStatusPlist, isSnapshotFinished, parseStatusPlist } from '../../../src/backup/format/statusPlist';
import { buildBinaryPlist, PlistUid, type PlistValue } from '../../../src/plist';
import { mutatedBytes, randomBytes } from '../byteMutation';
import { hexOf, type FuzzTarget } from '../fuzzTarget';
import { plistValueArbitrary } from '../plistSamples';

const DATE = new Date(Date.UTC(2026, 11, 6, 9, 41, 7));

function sampleMbFiles(): Buffer[] {
  return [
    encodeMbFile({ relativePath: 'Library/Notes/notes.sqlite', size: 70001, mode: 0o100644, protectionClass: 3, encryptionKey: Buffer.alloc(44, 3), lastModified: 1_700_000_000, userId: 501, groupId: 501, inodeNumber: 12345, birth: 1, lastStatusChange: 2, flags: 0 }),
    encodeMbFile({ relativePath: 'Media/link', size: 0, mode: 0o120755, target: '../DCIM', extendedAttributes: Buffer.from('xattr') }),
    encodeMbFile({ relativePath: '', size: 0, mode: 0o040755 }),
  ];
}

/** NSKeyedArchiver archives with random objects and references, so the UID checks meet every shape. */
const randomArchive: fc.Arbitrary<Buffer> = fc
  .record({
    objects: fc.array(plistValueArbitrary(true), { maxLength: 6 }),
    root: fc.nat(8),
    fields: fc.dictionary(fc.constantFrom('RelativePath', 'Size', 'Mode', 'Target', 'EncryptionKey', 'ExtendedAttributes', 'Birth', '$class'), fc.oneof(fc.nat(8).map((n) => new PlistUid(n)), plistValueArbitrary(true)), { noNullPrototype: true }),
  })
  .map(({ objects, root, fields }) => buildBinaryPlist({ $archiver: 'NSKeyedArchiver', $version: 100000, $top: { root: new PlistUid(root) }, $objects: ['$null', fields, { $classname: 'MBFile' }, ...objects] as PlistValue[] }));

/** MBFile records from the `file` column, decoded as ls, extract and restore decode every row. */
export function mbFileTarget(): FuzzTarget<Buffer> {
  return {
    name: 'mbfile',
    arbitrary: fc.oneof({ weight: 4, arbitrary: mutatedBytes(sampleMbFiles()) }, { weight: 2, arbitrary: randomArchive }, { weight: 1, arbitrary: randomBytes() }),
    run(bytes) {
      mbFileKindFromMode(decodeMbFile(bytes).mode);
    },
    describe: (bytes) => hexOf(bytes),
  };
}

/** Manifest.db files as `ls` reads them: opened, every row listed and its MBFile record decoded. */
export async function manifestDbTarget(): Promise<FuzzTarget<Buffer>> {
  const db = await ManifestDbBuilder.create();
  const files = sampleMbFiles();
  db.putMany(files.map((file, i) => ({ domain: i === 2 ? 'CameraRollDomain' : 'HomeDomain', relativePath: `Library/file${i}`, flags: i === 2 ? MANIFEST_FLAGS.directory : MANIFEST_FLAGS.file, file })));
  db.setProperty('salt', Buffer.alloc(20, 1));
  const sample = db.serialize();
  db.close();
  // The first worker start loads the SQLite WebAssembly from disk; that cost is no case's.
  (await ManifestDb.open(sample)).close();
  return {
    name: 'manifest-db',
    // SQLite pages are 4 KiB: edits anywhere in the file, not just near its start, matter.
    arbitrary: mutatedBytes([sample], 6),
    // Each open starts the reader's worker thread (0.1–0.5 s on a busy machine), so this target runs fewer cases.
    sliceCases: 30,
    fullCases: 5_000,
    async run(bytes) {
      const manifest = await ManifestDb.open(bytes);
      try {
        for await (const entry of manifest.iterateEntries()) if (entry.file) decodeMbFile(entry.file);
      } finally {
        manifest.close();
      }
    },
    describe: (bytes) => hexOf(bytes, 64),
  };
}

/** One of the three backup plists: parsed from its bytes (either encoding) and read the way `backups` reads it. */
function backupPlistTarget(name: string, samples: Buffer[], read: (bytes: Buffer) => void): FuzzTarget<Buffer> {
  return {
    name,
    arbitrary: fc.oneof(
      { weight: 4, arbitrary: mutatedBytes(samples) },
      { weight: 2, arbitrary: plistValueArbitrary(true).map((value) => buildBinaryPlist(value)) },
      { weight: 1, arbitrary: randomBytes() },
    ),
    run: read,
    describe: (bytes) => hexOf(bytes),
  };
}

export function infoPlistTarget(): FuzzTarget<Buffer> {
  const info = { deviceName: 'Support iPhone', productType: 'iPhone14,5', productVersion: '16.1', uniqueIdentifier: '00008110000A1B2C3D4E801E', guid: 'AB'.repeat(16), lastBackupDate: DATE, installedApplications: ['com.example.app'], applications: { 'com.example.app': { ApplicationSINF: Buffer.alloc(8) } }, iTunesFiles: { 'IC-Info.sidv': Buffer.alloc(4) }, otherKeys: { Extra: 1 } };
  return backupPlistTarget('info-plist', [encodeInfoPlist(info), encodeInfoPlist(info, 'binary')], (bytes) => void parseInfoPlist(bytes));
}

export function statusPlistTarget(): FuzzTarget<Buffer> {
  const status = { isFullBackup: false, version: '3.3', backupState: 'new', date: DATE, uuid: '4C2E7D6E-52F2-4A8E-9D67-3E1A0F2B9C11', snapshotState: 'finished' };
  return backupPlistTarget('status-plist', [encodeStatusPlist(status), encodeStatusPlist(status, 'xml')], (bytes) => void isSnapshotFinished(parseStatusPlist(bytes)));
}

export async function manifestPlistTarget(): Promise<FuzzTarget<Buffer>> {
  const { createKeybag } = await import('../../../src/backup/crypto');
  const keybag = await createKeybag({ password: 'fuzz', iterations: 10, dpIterations: 10, classes: [1, 3] });
  const manifest = { isEncrypted: true, version: '10.0', date: DATE, wasPasscodeSet: false, lockdown: { productVersion: '16.1', productType: 'iPhone14,5', uniqueDeviceId: '00008110000A1B2C3D4E801E', deviceName: 'Support iPhone' }, backupKeyBag: keybag.bytes, manifestKey: Buffer.concat([Buffer.of(3, 0, 0, 0), Buffer.alloc(40, 9)]), applications: {} };
  return backupPlistTarget('manifest-plist', [encodeManifestPlist(manifest), encodeManifestPlist(manifest, 'xml')], (bytes) => {
    const parsed = parseManifestPlist(bytes);
    // An encrypted backup's first use of Manifest.plist is its keybag.
    if (isManifestEncrypted(parsed) && parsed.backupKeyBag) parseKeybag(parsed.backupKeyBag);
  });
}
