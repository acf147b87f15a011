import assert from 'node:assert/strict';
import { isUsageError } from '../../../../src/common/errors';
import { MANIFEST_FLAGS } from '../../../../src/backup/format/manifestDb';
import { ManifestDbBuilder } from '../../../../src/backup/format/manifestDbBuilder';
import { encodeMbFile } from '../../../../src/backup/format/mbFile';
import { SimulatedDataset } from '../../../../src/simulator/dataset/simulatedDataset';
import { readBackupInventory, type BackupItem } from '../../../../src/simulator/restore/backupItems';
import { contentDigest, generatedDatasetDigest } from '../../../../src/simulator/restore/contentDigest';
import { RestoreFailure } from '../../../../src/simulator/restore/restoreFailures';
import { planRestore } from '../../../../src/simulator/restore/restorePlan';
import { DEFAULT_FREE_SPACE_BYTES, DEFAULT_PASSCODE_TIMEOUT_MS } from '../../../../src/simulator/restore/restoreScenarioFields';
import { parseScenario } from '../../../../src/simulator/scenario';

const UDID = '00008110-000A1B2C3D4E801E';
const SPEC = { files: 40, totalBytes: 200_000, seed: 3, generation: 0 };

/** A backup item as Manifest.db would describe a dataset entry. */
function asItem(entry: SimulatedDataset['entries'][number]): BackupItem {
  return { ...entry, hostFileID: entry.fileID, inode: entry.inode, encryptionKey: undefined };
}

async function manifestWith(rows: { domain: string; relativePath: string; mode: number; size?: number }[]): Promise<Buffer> {
  const db = await ManifestDbBuilder.create();
  try {
    db.putMany(rows.map((r) => ({ domain: r.domain, relativePath: r.relativePath, flags: MANIFEST_FLAGS.file, file: encodeMbFile({ relativePath: r.relativePath, size: r.size ?? 1, mode: r.mode }) })));
    return db.serialize();
  } finally {
    db.close();
  }
}

describe('simulated restore content', () => {
  describe('digest', () => {
    it('does not depend on the order of the items, and changes with any byte, size, mode or date', () => {
      const a = { domain: 'HomeDomain', relativePath: 'a', kind: 'file' as const, size: 1, mode: 0o100644, lastModified: 5, sha256: 'aa' };
      const b = { domain: 'HomeDomain', relativePath: 'b', kind: 'file' as const, size: 2, mode: 0o100644, lastModified: 5, sha256: 'bb' };
      assert.equal(contentDigest([a, b]).digest, contentDigest([b, a]).digest);
      for (const changed of [{ ...a, sha256: 'ab' }, { ...a, size: 3 }, { ...a, mode: 0o100600 }, { ...a, lastModified: 6 }]) {
        assert.notEqual(contentDigest([changed, b]).digest, contentDigest([a, b]).digest);
      }
      assert.deepEqual({ files: contentDigest([a, b]).fileCount, bytes: contentDigest([a, b]).byteCount }, { files: 2, bytes: 3 });
    });
    it('is the same for two builds of one dataset and different for another seed', () => {
      assert.equal(generatedDatasetDigest(SimulatedDataset.build(SPEC)).digest, generatedDatasetDigest(SimulatedDataset.build(SPEC)).digest);
      assert.notEqual(generatedDatasetDigest(SimulatedDataset.build(SPEC)).digest, generatedDatasetDigest(SimulatedDataset.build({ ...SPEC, seed: 4 })).digest);
    });
  });

  describe('plan', () => {
    const device = SimulatedDataset.build(SPEC).entries;
    const backup = SimulatedDataset.build({ ...SPEC, seed: 9 }).entries.map(asItem);

    it('replaces everything with the backup when system files and settings are restored', () => {
      const plan = planRestore(backup, device, { restoreSystemFiles: true, preserveSettings: false, removeItemsNotRestored: false });
      assert.equal(plan.files.length + plan.directories.length, backup.length);
      assert.deepEqual(plan.kept, []);
      assert.equal(plan.removed, device.length);
      assert.equal(plan.downloadBytes, 200_000);
    });
    it('keeps the system files and settings (with their folders) unless RemoveItemsNotRestored', () => {
      const plan = planRestore(backup, device, { restoreSystemFiles: false, preserveSettings: true, removeItemsNotRestored: false });
      const kept = new Set(plan.kept.map((e) => `${e.domain}/${e.relativePath}`));
      assert.ok(kept.has('KeychainDomain/keychain-backup.plist'));
      assert.ok(kept.has('KeychainDomain/'), 'the domain root of a kept file stays');
      assert.ok(kept.has('HomeDomain/Library/Preferences/com.apple.springboard.plist'));
      assert.ok(!plan.files.some((f) => f.domain === 'KeychainDomain'));
      const dropping = planRestore(backup, device, { restoreSystemFiles: false, preserveSettings: true, removeItemsNotRestored: true });
      assert.deepEqual(dropping.kept, []);
    });
  });

  describe('Manifest.db from the host', () => {
    it('reads files and skips symlinks', async () => {
      const inventory = await readBackupInventory(
        await manifestWith([
          { domain: 'HomeDomain', relativePath: 'Library/x', mode: 0o100644, size: 7 },
          { domain: 'HomeDomain', relativePath: 'Library/link', mode: 0o120755 },
        ]),
      );
      assert.equal(inventory.items.length, 1);
      assert.equal(inventory.items[0].size, 7);
      assert.equal(inventory.skipped, 1);
    });
    it('refuses a domain with a slash (205, the real device text) and paths that climb out of their domain', async () => {
      await assert.rejects(readBackupInventory(await manifestWith([{ domain: 'Home/Domain', relativePath: 'x', mode: 0o100644 }])), (e) => e instanceof RestoreFailure && e.errorCode === 205 && e.description === 'Domain name cannot contain a slash');
      for (const relativePath of ['../x', '/etc/passwd', 'a/../../b', 'a//b']) {
        await assert.rejects(readBackupInventory(await manifestWith([{ domain: 'HomeDomain', relativePath, mode: 0o100644 }])), (e) => e instanceof RestoreFailure && e.errorCode === 205, relativePath);
      }
    });
    it('refuses bytes that are not a Manifest.db with 205', async () => {
      await assert.rejects(readBackupInventory(Buffer.from('not sqlite')), (e) => e instanceof RestoreFailure && e.errorCode === 205);
    });
  });

  describe('scenario fields', () => {
    it('fills the defaults: no passcode, 60 GB free, a restart shortly after a restore', () => {
      const d = parseScenario({ devices: [{ udid: UDID }] }).devices[0];
      assert.deepEqual(d.passcode, { set: false, enteredAfterMs: 0, timeoutMs: DEFAULT_PASSCODE_TIMEOUT_MS });
      assert.equal(d.freeSpaceBytes, DEFAULT_FREE_SPACE_BYTES);
      assert.ok(d.restart.afterRestoreDelayMs > 0 && d.restart.downMs > 0);
    });
    it('takes a passcode that is never entered, and names a wrong field', () => {
      const d = parseScenario({ devices: [{ udid: UDID, passcode: { set: true, enteredAfterMs: null, timeoutMs: 500 }, freeSpaceBytes: 10 }] }).devices[0];
      assert.deepEqual(d.passcode, { set: true, enteredAfterMs: null, timeoutMs: 500 });
      assert.equal(d.freeSpaceBytes, 10);
      assert.throws(() => parseScenario({ devices: [{ udid: UDID, passcode: { enteredAfterMs: -1 } }] }), (e) => isUsageError(e) && /devices\[0\]\.passcode\.enteredAfterMs/.test(e.message));
      assert.throws(() => parseScenario({ devices: [{ udid: UDID, freeSpaceBytes: 'lots' }] }), /devices\[0\]\.freeSpaceBytes/);
      assert.throws(() => parseScenario({ devices: [{ udid: UDID, restart: { downMs: 1.5 } }] }), /devices\[0\]\.restart\.downMs/);
    });
  });
});
