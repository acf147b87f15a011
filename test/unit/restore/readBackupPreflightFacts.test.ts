import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { IN_PROGRESS_MARKER } from '../../../src/backup/format/backupFolder';
import { encodeInfoPlist } from '../../../src/backup/format/infoPlist';
import { encodeStatusPlist } from '../../../src/backup/format/statusPlist';
import { readBackupPreflightFacts } from '../../../src/restore/readBackupPreflightFacts';
import { isUsageError } from '../../../src/common/errors';
import { PASSWORD, writeEncryptedBackup } from '../../builders/encryptedBackupBuilder';
import { makeTempDir, testInfo, testItems, testStatus, TEST_UDID, writeTestBackup } from '../../builders/testBackupBuilder';
import { supervisedEnrolledStore } from '../../builders/profileStoreFixtures';

describe('reading a backup folder for the restore checks', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('iosbr-restore-facts-');
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('a complete unencrypted backup: nothing missing, finished, no password needed, its size and facts', async () => {
    const dir = await writeTestBackup(root);
    const facts = await readBackupPreflightFacts(dir, undefined);
    assert.deepEqual(facts.missingFiles, []);
    assert.deepEqual(facts.emptyFiles, []);
    assert.equal(facts.snapshotState, 'finished');
    assert.equal(facts.backupInterrupted, false);
    assert.equal(facts.encrypted, false);
    assert.deepEqual(facts.password, { kind: 'not-needed' });
    assert.ok(facts.sizeBytes > 0);
    assert.equal(facts.udid, TEST_UDID);
    assert.equal(facts.iosVersion, '16.1');
    assert.equal(facts.deviceName, 'Support iPhone');
  });

  it('finds missing and empty metadata, an unfinished snapshot and an interrupted backup', async () => {
    const dir = await writeTestBackup(root, { status: { ...testStatus(), snapshotState: 'uploading' } });
    await fs.rm(path.join(dir, 'Manifest.db'));
    await fs.writeFile(path.join(dir, 'Manifest.plist'), '');
    await fs.writeFile(path.join(dir, IN_PROGRESS_MARKER), '{}');
    const facts = await readBackupPreflightFacts(dir, undefined);
    assert.deepEqual(facts.missingFiles, ['Manifest.db']);
    assert.deepEqual(facts.emptyFiles, ['Manifest.plist']);
    assert.equal(facts.snapshotState, 'uploading');
    assert.equal(facts.backupInterrupted, true);
    assert.equal(facts.encrypted, undefined);
    assert.equal(facts.password.kind, 'unknown');
  });

  it('reports an unreadable Status.plist instead of throwing', async () => {
    const dir = await writeTestBackup(root);
    await fs.writeFile(path.join(dir, 'Status.plist'), 'not a plist at all');
    const facts = await readBackupPreflightFacts(dir, undefined);
    assert.equal(facts.snapshotState, undefined);
    assert.ok(facts.statusProblem);
  });

  describe('an encrypted backup', () => {
    async function encryptedBackup(): Promise<string> {
      const dir = await writeEncryptedBackup(root);
      await fs.writeFile(path.join(dir, 'Info.plist'), encodeInfoPlist(testInfo()));
      await fs.writeFile(path.join(dir, 'Status.plist'), encodeStatusPlist(testStatus()));
      return dir;
    }

    it('checks the password against the keybag on this computer', async () => {
      const dir = await encryptedBackup();
      assert.deepEqual((await readBackupPreflightFacts(dir, PASSWORD)).password, { kind: 'correct' });
      assert.deepEqual((await readBackupPreflightFacts(dir, 'wrong password')).password, { kind: 'wrong' });
      assert.deepEqual((await readBackupPreflightFacts(dir, undefined)).password, { kind: 'missing' });
      assert.equal((await readBackupPreflightFacts(dir, PASSWORD)).encrypted, true);
    });

    it('a password check can be cancelled', async () => {
      const dir = await encryptedBackup();
      const abort = new AbortController();
      abort.abort();
      await assert.rejects(readBackupPreflightFacts(dir, PASSWORD, { signal: abort.signal }), /cancelled/);
    });
  });

  it('a folder that is not a backup is a usage error', async () => {
    await assert.rejects(readBackupPreflightFacts(root, undefined), (e) => isUsageError(e));
  });

  it('a malformed iOS version becomes unknown for the compatibility rules, with its reason', async () => {
    const dir = await writeTestBackup(root, { info: { ...testInfo(), productVersion: 'sixteen' } });
    const facts = await readBackupPreflightFacts(dir, undefined);
    assert.equal(facts.iosVersion, undefined);
    assert.deepEqual(facts.source['source.iosVersion'], { value: 'sixteen', origin: { kind: 'backup', file: 'Info.plist / Manifest.plist' } });
  });

  it('reads the state at backup time from the backup\'s configuration-profile store and runs the quick health check', async () => {
    const dir = await writeTestBackup(root, { items: [...testItems(), ...supervisedEnrolledStore()] });
    const facts = await readBackupPreflightFacts(dir, undefined);
    const supervised = facts.source['source.supervisedAtBackup'];
    assert.ok('value' in supervised && supervised.value === true && supervised.origin.kind === 'backup' && supervised.origin.file.endsWith('CloudConfigurationDetails.plist'), JSON.stringify(supervised));
    assert.equal(facts.health.kind, 'checked');
    assert.equal(facts.health.kind === 'checked' && facts.health.health.level, 'quick');
    assert.deepEqual(facts.health.kind === 'checked' && facts.health.health.problems, []);
  });

  it('the quick health check reports plists that disagree', async () => {
    const dir = await writeTestBackup(root, { info: { ...testInfo(), uniqueIdentifier: '00008110-0000000000000000', targetIdentifier: '00008110-0000000000000000' } });
    const facts = await readBackupPreflightFacts(dir, undefined);
    assert.equal(facts.health.kind, 'checked');
    assert.ok(facts.health.kind === 'checked' && facts.health.health.problems.length > 0, JSON.stringify(facts.health));
  });
});
