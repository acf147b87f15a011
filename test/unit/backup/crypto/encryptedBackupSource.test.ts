import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isEncryptedDataCorruptError, isWrongPasswordError } from '../../../../src/backup/crypto';
import { prepareBackupUnlocker, unlockEncryptedBackup } from '../../../../src/backup/crypto/encryptedBackupSource';
import { BackupReader } from '../../../../src/backup/format/backupReader';
import { isEncryptedBackupError } from '../../../../src/backup/format/formatErrors';
import { FILES, PASSWORD, writeEncryptedBackup } from '../../../builders/encryptedBackupBuilder';
import { makeTempDir } from '../../../builders/testBackupBuilder';

describe('encrypted backups: unlock, list, extract', function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(async () => (root = await makeTempDir('iosbr-enc-')));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  for (const variant of [{ legacy: false }, { legacy: true }, { staleSize: true }]) {
    it(`lists and extracts byte-identical files (${JSON.stringify(variant)})`, async () => {
      const dir = await writeEncryptedBackup(root, variant);
      const unlocked = await unlockEncryptedBackup(dir, PASSWORD);
      assert.equal(unlocked.hasManifestKey, !variant.legacy);
      const reader = await BackupReader.open(dir, unlocked.source);
      try {
        assert.deepEqual((await reader.listEntries()).map((e) => e.relativePath).sort(), FILES.map((f) => f.relativePath).sort());
        const out = path.join(root, 'out');
        const result = await reader.extract(out);
        assert.equal(result.filesWritten, FILES.length);
        for (const f of FILES) assert.deepEqual(await fs.readFile(path.join(out, f.domain, f.relativePath)), f.content);
      } finally {
        reader.close();
      }
    });
  }

  it('refuses a wrong password with one sentence that does not contain it', async () => {
    const dir = await writeEncryptedBackup(root);
    await assert.rejects(unlockEncryptedBackup(dir, 'wrong password'), (e) => isWrongPasswordError(e) && !String((e as Error).message).includes('wrong password'));
  });

  it('an unlocker derives the password once and gives each reader its own keys, which it may wipe', async () => {
    const dir = await writeEncryptedBackup(root);
    const unlocker = await prepareBackupUnlocker(dir, PASSWORD);
    const first = unlocker.unlock();
    const second = unlocker.unlock();
    for (const key of first.classKeys.values()) key.fill(0);
    const reader = await BackupReader.open(dir, second.source);
    try {
      const out = path.join(root, 'out');
      assert.equal((await reader.extract(out)).filesWritten, FILES.length);
      for (const f of FILES) assert.deepEqual(await fs.readFile(path.join(out, f.domain, f.relativePath)), f.content);
    } finally {
      reader.close();
    }
    unlocker.wipe();
    // Wiped: a reader made after it holds zero keys, which open nothing.
    await assert.rejects(BackupReader.open(dir, unlocker.unlock().source), (e) => isEncryptedDataCorruptError(e) && /Manifest\.db is corrupt/.test(e.message));
  });

  it('an unlocker for a wrong password makes every unlock throw the wrong-password error', async () => {
    const dir = await writeEncryptedBackup(root);
    const unlocker = await prepareBackupUnlocker(dir, 'wrong password');
    assert.throws(() => unlocker.unlock(), (e) => isWrongPasswordError(e));
    assert.throws(() => unlocker.unlock(), (e) => isWrongPasswordError(e));
  });

  it('the plain reader says the backup is encrypted instead of failing oddly', async () => {
    const dir = await writeEncryptedBackup(root);
    await assert.rejects(BackupReader.open(dir), (e) => isEncryptedBackupError(e));
  });
});
