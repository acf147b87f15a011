import assert from 'node:assert/strict';
import { createKeybag, decryptFileData, decryptManifestDb, parseWrappedKeyBlob, unwrapFileKey, unwrapManifestKey } from '../../../../src/backup/crypto';
import { MANIFEST_FLAGS } from '../../../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../../../src/backup/format/manifestDbBuilder';
import type { ManifestPlist } from '../../../../src/backup/format/manifestPlist';
import { encodeMbFile } from '../../../../src/backup/format/mbFile';
import { PLAIN_BACKUP_PROTECTION } from '../../../../src/simulator/backup/backupProtection';
import { planBackup, type PreviousFile } from '../../../../src/simulator/backup/backupPlan';
import { EncryptedBackupProtection } from '../../../../src/simulator/backup/encryptedBackupProtection';
import type { DeviceBackupKeybag } from '../../../../src/simulator/backup/encryptedBackupKeybag';
import { SimulatedDataset, type DatasetEntry } from '../../../../src/simulator/dataset/simulatedDataset';

const SPEC = { files: 30, totalBytes: 200_000, seed: 5, generation: 0 };
const PASSWORD = 'unit-Pa55word';

async function keybag(): Promise<DeviceBackupKeybag> {
  const created = await createKeybag({ password: PASSWORD, iterations: 10, dpIterations: 100 });
  return { bytes: created.bytes, classKeys: created.classKeys };
}

/** Runs a file through the protection, chunk by chunk as the uploader does. */
function stored(protection: EncryptedBackupProtection, dataset: SimulatedDataset, entry: DatasetEntry): { bytes: Buffer; chunks: Buffer[]; encryptionKey: Buffer } {
  const file = protection.protectFile(entry);
  const chunks = [...file.content(dataset.content(entry))];
  return { bytes: Buffer.concat(chunks), chunks, encryptionKey: file.encryptionKey! };
}

describe('simulated device: encrypted backup protection', () => {
  let bag: DeviceBackupKeybag;
  before(async () => (bag = await keybag()));

  it('encrypts each file with its own key, wrapped for the file\'s protection class; the content decrypts to the dataset bytes', () => {
    const dataset = SimulatedDataset.build(SPEC);
    const protection = new EncryptedBackupProtection(bag);
    const keys = new Set<string>();
    for (const entry of dataset.files()) {
      const { bytes, chunks, encryptionKey } = stored(protection, dataset, entry);
      assert.equal(parseWrappedKeyBlob(encryptionKey, 'test file').protectionClass, entry.protectionClass);
      keys.add(encryptionKey.toString('hex'));
      assert.equal(bytes.length, (Math.floor(entry.size / 16) + 1) * 16, 'PKCS#7 always adds 1–16 bytes');
      assert.ok(chunks.every((c) => c.length <= 32 * 1024), 'no chunk exceeds a DeviceLink block');
      const plain = decryptFileData(unwrapFileKey(encryptionKey, bag.classKeys), bytes);
      assert.deepEqual(plain, Buffer.concat([...dataset.content(entry)]));
    }
    assert.equal(keys.size, dataset.files().length, 'every file has its own key');
  });

  it('stores an empty file as one padding block with a key', () => {
    const protection = new EncryptedBackupProtection(bag);
    const entry = { ...SimulatedDataset.build(SPEC).files()[0], size: 0 };
    const file = protection.protectFile(entry);
    const bytes = Buffer.concat([...file.content([])]);
    assert.equal(bytes.length, 16);
    assert.equal(decryptFileData(unwrapFileKey(file.encryptionKey!, bag.classKeys), bytes).length, 0);
  });

  it('seals Manifest.db with the ManifestKey it puts in Manifest.plist, padding to whole blocks', () => {
    const protection = new EncryptedBackupProtection(bag);
    const { backupKeyBag, manifestKey } = protection.manifestKeys();
    assert.deepEqual(backupKeyBag, bag.bytes);
    const plain = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096 - 16 + 5, 7)]);
    const sealed = protection.sealManifestDb(plain);
    assert.equal(sealed.length % 16, 0);
    const opened = decryptManifestDb(sealed, unwrapManifestKey(manifestKey!, bag.classKeys));
    assert.deepEqual(opened.subarray(0, plain.length), plain);
    assert.ok(opened.subarray(plain.length).every((b) => b === 0));
    assert.notDeepEqual(new EncryptedBackupProtection(bag).manifestKeys().manifestKey, manifestKey, 'each backup gets a fresh Manifest.db key');
  });

  it('before iOS 10.2: no ManifestKey, Manifest.db in the clear, files still encrypted', () => {
    const protection = new EncryptedBackupProtection(bag, { encryptManifestDb: false });
    const keys = protection.manifestKeys();
    assert.deepEqual(Object.keys(keys), ['backupKeyBag']);
    const plain = Buffer.from('SQLite format 3\0', 'latin1');
    assert.equal(protection.sealManifestDb(plain), plain);
    const previous = protection.openPreviousManifestDb({ isEncrypted: true, backupKeyBag: bag.bytes }, plain);
    assert.ok('manifestDb' in previous && previous.manifestDb.equals(plain));
    assert.ok(protection.protectFile(SimulatedDataset.build(SPEC).files()[0]).encryptionKey);
  });

  it('builds only on a previous backup encrypted with the same keybag', async () => {
    const protection = new EncryptedBackupProtection(bag);
    const db = await ManifestDbBuilder.create();
    db.putMany([{ domain: 'HomeDomain', relativePath: 'a', flags: MANIFEST_FLAGS.file, file: encodeMbFile({ relativePath: 'a', size: 1, mode: 0o100644 }) }]);
    const plainDb = db.serialize();
    db.close();
    const sealed = protection.sealManifestDb(plainDb);
    const { backupKeyBag, manifestKey } = protection.manifestKeys();
    const encrypted: ManifestPlist = { isEncrypted: true, backupKeyBag, manifestKey };

    const same = protection.openPreviousManifestDb(encrypted, sealed);
    assert.ok('manifestDb' in same && same.manifestDb.equals(plainDb));
    const other = new EncryptedBackupProtection(await keybag()).openPreviousManifestDb(encrypted, sealed);
    assert.ok('reason' in other && /another backup password/.test(other.reason));
    const unencrypted = protection.openPreviousManifestDb({ isEncrypted: false }, plainDb);
    assert.ok('reason' in unencrypted && /not encrypted/.test(unencrypted.reason));
    const damaged = protection.openPreviousManifestDb(encrypted, Buffer.alloc(sealed.length));
    assert.ok('reason' in damaged && /does not decrypt/.test(damaged.reason));
    const seenByPlain = PLAIN_BACKUP_PROTECTION.openPreviousManifestDb(encrypted, sealed);
    assert.ok('reason' in seenByPlain && /is encrypted/.test(seenByPlain.reason));
  });

  it('an incremental plan keeps the EncryptionKeys of the files it does not send again', () => {
    const before = SimulatedDataset.build(SPEC);
    const after = SimulatedDataset.build({ ...SPEC, generation: 1 });
    const files = new Map<string, PreviousFile>(
      before.files().map((f) => [f.fileID, { size: f.size, lastModified: f.lastModified, encryptionKey: Buffer.from(f.fileID, 'hex') }]),
    );
    const plan = planBackup(after, { usable: true, previous: { uuid: 'U', files } });
    const sent = new Set(plan.uploads.map((f) => f.fileID));
    assert.ok(sent.size > 0);
    assert.equal(plan.keptEncryptionKeys.size, after.files().length - sent.size);
    for (const [fileID, key] of plan.keptEncryptionKeys) {
      assert.ok(!sent.has(fileID));
      assert.deepEqual(key, Buffer.from(fileID, 'hex'));
    }
    assert.equal(planBackup(after, { usable: false, reason: 'none' }).keptEncryptionKeys.size, 0);
  });
});
