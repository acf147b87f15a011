import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isWrongPasswordError } from '../../../../src/backup/crypto';
import { computeFileId, hashedFilePath } from '../../../../src/backup/format/fileId';
import { encodeInfoPlist, INFO_PLIST_FILE } from '../../../../src/backup/format/infoPlist';
import { encodeStatusPlist, STATUS_PLIST_FILE } from '../../../../src/backup/format/statusPlist';
import type { BackupHealth } from '../../../../src/backup/verify/backupHealth';
import { verifyBackup, type VerifyProgress } from '../../../../src/backup/verify/verifyBackup';
import { isBackupError, isCancelledError } from '../../../../src/common/errors';
import { FILES, PASSWORD, writeEncryptedBackup } from '../../../builders/encryptedBackupBuilder';
import { makeTempDir, testInfo, testItems, testStatus, writeTestBackup, type TestBackupItem } from '../../../builders/testBackupBuilder';
import { assertNoBareErrnoCode } from '../../../helpers/bareErrnoCode';

/** The problems of a report as "<domain>/<path>: <problem>" lines, for readable assertion messages. */
function lines(health: BackupHealth): string[] {
  return health.problems.map((p) => `${p.domain === null ? '' : `${p.domain}/`}${p.relativePath}: ${p.problem}`);
}

function contentPathOf(dir: string, domain: string, relativePath: string): string {
  return hashedFilePath(dir, computeFileId(domain, relativePath));
}

describe('backup/verify verifyBackup', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-verify-');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  describe('a plain backup', () => {
    it('is healthy when every plist agrees and every file is whole; the full check reads every byte', async () => {
      const dir = await writeTestBackup(root);
      const progress: VerifyProgress[] = [];
      const health = await verifyBackup(dir, { level: 'full', onProgress: (p) => progress.push(p) });
      assert.deepEqual(lines(health), []);
      assert.equal(health.healthy, true);
      assert.equal(health.encrypted, false);
      const files = testItems().filter((i) => i.kind === 'file');
      assert.equal(health.filesChecked, files.length);
      assert.equal(health.bytesChecked, files.reduce((sum, f) => sum + (f.content?.length ?? 0), 0));
      assert.deepEqual(progress.at(-1), { filesChecked: files.length, filesTotal: files.length, bytesChecked: health.bytesChecked });
    });

    it('the quick check looks at the plists and Manifest.db only', async () => {
      const dir = await writeTestBackup(root);
      // A missing content file is beyond the quick check.
      await fs.rm(contentPathOf(dir, 'HomeDomain', 'Library/SMS/sms.db'));
      const health = await verifyBackup(dir, { level: 'quick' });
      assert.equal(health.healthy, true, lines(health).join('\n'));
      assert.equal(health.filesChecked, 0);
      assert.equal(health.level, 'quick');
    });

    it('names a deleted content file by domain and path', async () => {
      const dir = await writeTestBackup(root);
      const content = contentPathOf(dir, 'HomeDomain', 'Library/SMS/sms.db');
      await fs.rm(content);
      const health = await verifyBackup(dir, { level: 'full' });
      assert.equal(health.healthy, false);
      assert.deepEqual(lines(health), [`HomeDomain/Library/SMS/sms.db: its content file ${path.relative(dir, content)} is missing.`]);
    });

    it('tolerates no content file for a file recorded as empty', async () => {
      const items: TestBackupItem[] = [...testItems(), { domain: 'HomeDomain', relativePath: 'Library/empty.txt', kind: 'file', recordedSize: 0 }];
      const health = await verifyBackup(await writeTestBackup(root, { items }), { level: 'full' });
      assert.equal(health.healthy, true, lines(health).join('\n'));
      assert.equal(health.tolerated.length, 1);
      assert.match(health.tolerated[0], /HomeDomain\/Library\/empty\.txt has no content file/);
    });

    it('names a content file replaced by a folder, a symbolic link or a named pipe', async function () {
      const dir = await writeTestBackup(root);
      const folder = contentPathOf(dir, 'HomeDomain', 'Library/SMS/sms.db');
      await fs.rm(folder);
      await fs.mkdir(folder);
      const link = contentPathOf(dir, 'HomeDomain', 'Library/Preferences/com.apple.foo.plist');
      await fs.rm(link);
      await fs.symlink('/etc/passwd', link);
      const fifo = contentPathOf(dir, 'MediaDomain', 'Media/DCIM/100APPLE/IMG_0001.JPG');
      await fs.rm(fifo);
      if (process.platform !== 'win32') execFileSync('mkfifo', [fifo]);
      const health = await verifyBackup(dir, { level: 'full' });
      const found = lines(health);
      assert.ok(found.some((l) => /^HomeDomain\/Library\/SMS\/sms\.db: its content file \S+ is a folder, not a file\.$/.test(l)), found.join('\n'));
      assert.ok(found.some((l) => /^HomeDomain\/Library\/Preferences\/com\.apple\.foo\.plist: its content file \S+ is a symbolic link, which a backup never holds/.test(l)), found.join('\n'));
      if (process.platform !== 'win32') assert.ok(found.some((l) => /^MediaDomain\/Media\/DCIM\/100APPLE\/IMG_0001\.JPG: its content file \S+ is a named pipe/.test(l)), found.join('\n'));
    });

    it('names every file of a shard folder that is a symbolic link, without following it', async () => {
      const dir = await writeTestBackup(root);
      const content = contentPathOf(dir, 'HomeDomain', 'Library/SMS/sms.db');
      const shard = path.dirname(content);
      const elsewhere = path.join(root, 'elsewhere');
      await fs.rename(shard, elsewhere);
      await fs.symlink(elsewhere, shard);
      const shown = path.relative(dir, content);
      assert.deepEqual(lines(await verifyBackup(dir, { level: 'full' })), [
        `HomeDomain/Library/SMS/sms.db: its content file ${shown} lies in ${path.dirname(shown)}, which is a symbolic link, and links are not followed.`,
      ]);
    });

    it('tolerates a stale size, and flags empty content where the record has bytes, except for a database', async () => {
      const items: TestBackupItem[] = [
        { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', kind: 'file', content: Buffer.alloc(8192, 1), recordedSize: 4096 },
        { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db-wal', kind: 'file', content: Buffer.alloc(0), recordedSize: 32_000 },
        { domain: 'MediaDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0002.JPG', kind: 'file', content: Buffer.alloc(1000, 2), recordedSize: 1200 },
        { domain: 'MediaDomain', relativePath: 'Media/DCIM/100APPLE/IMG_0003.JPG', kind: 'file', content: Buffer.alloc(0), recordedSize: 2_000_000 },
      ];
      const health = await verifyBackup(await writeTestBackup(root, { items }), { level: 'full' });
      assert.deepEqual(lines(health), [
        'MediaDomain/Media/DCIM/100APPLE/IMG_0003.JPG: its content is empty although Manifest.db records 2000000 bytes, and a file of this kind is not rewritten while a backup runs (the content was lost, e.g. by a copy of the folder that stopped early).',
      ]);
      assert.equal(health.tolerated.length, 3);
      assert.ok(health.tolerated.some((t) => t.startsWith('HomeDomain/Library/SMS/sms.db holds 8192 bytes where Manifest.db records 4096')));
    });

    it('says when Status.plist shows an unfinished backup', async () => {
      const dir = await writeTestBackup(root, { status: { ...testStatus(), snapshotState: 'uploading' } });
      const health = await verifyBackup(dir, { level: 'quick' });
      assert.equal(health.healthy, false);
      assert.deepEqual(lines(health), [
        'Status.plist: the backup did not finish: Status.plist has SnapshotState "uploading", not "finished", so the last backup run stopped part-way.',
      ]);
    });

    it('says when Info.plist and Manifest.plist describe different devices', async () => {
      const dir = await writeTestBackup(root, { info: { ...testInfo(), uniqueIdentifier: '00008030-0000000000000001', productVersion: '17.0' } });
      const found = lines(await verifyBackup(dir, { level: 'quick' }));
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found[0], /^Info\.plist: Info\.plist and Manifest\.plist disagree on the device's UDID/);
      assert.match(found[1], /disagree on the device's iOS version \("17\.0" and "16\.1"\)/);
    });

    it('names a missing Info.plist, an unparsable Status.plist and a missing Manifest.db, one sentence each', async () => {
      const dir = await writeTestBackup(root);
      await fs.rm(path.join(dir, INFO_PLIST_FILE));
      await fs.writeFile(path.join(dir, STATUS_PLIST_FILE), 'not a plist');
      await fs.rm(path.join(dir, 'Manifest.db'));
      const found = lines(await verifyBackup(dir, { level: 'full' }));
      assert.equal(found.length, 3, found.join('\n'));
      assert.match(found[0], /^Info\.plist: Cannot read Info\.plist because it does not exist/);
      assert.match(found[1], /^Status\.plist: Cannot read Status\.plist because it is not a valid property list/);
      assert.match(found[2], /^Manifest\.db: Cannot read Manifest\.db in .* because it does not exist\.$/);
      for (const line of found) assertNoBareErrnoCode(line);
    });

    it('names an empty Manifest.db', async () => {
      const dir = await writeTestBackup(root);
      await fs.writeFile(path.join(dir, 'Manifest.db'), '');
      assert.deepEqual(lines(await verifyBackup(dir, { level: 'quick' })), ['Manifest.db: Manifest.db is empty, so the backup has no list of its files.']);
    });

    it('refuses a folder that does not exist, and stops when cancelled', async () => {
      await assert.rejects(verifyBackup(path.join(root, 'nothing'), { level: 'quick' }), (err) => isBackupError(err) && /not a folder that exists/.test(err.message));
      const dir = await writeTestBackup(root);
      const abort = new AbortController();
      abort.abort();
      await assert.rejects(verifyBackup(dir, { level: 'full', signal: abort.signal }), isCancelledError);
      // Cancelled part-way: after the first file's progress.
      const midway = new AbortController();
      await assert.rejects(
        verifyBackup(dir, { level: 'full', signal: midway.signal, onProgress: (p) => p.filesChecked > 0 && midway.abort() }),
        isCancelledError,
      );
    });
  });

  describe('an encrypted backup', () => {
    async function writeEncrypted(): Promise<string> {
      const dir = await writeEncryptedBackup(root);
      await fs.writeFile(path.join(dir, INFO_PLIST_FILE), encodeInfoPlist(testInfo()));
      await fs.writeFile(path.join(dir, STATUS_PLIST_FILE), encodeStatusPlist(testStatus()));
      return dir;
    }

    it('is healthy with the password: every key unwraps, every file decrypts with valid padding and its recorded size', async () => {
      const health = await verifyBackup(await writeEncrypted(), { level: 'full', password: PASSWORD });
      assert.deepEqual(lines(health), []);
      assert.equal(health.healthy, true);
      assert.equal(health.encrypted, true);
      assert.equal(health.filesChecked, FILES.length);
      assert.deepEqual(health.tolerated, []);
      // Ciphertext is read: each file padded to whole AES blocks.
      assert.equal(health.bytesChecked, FILES.reduce((sum, f) => sum + (Math.floor(f.content.length / 16) + 1) * 16, 0));
    });

    it('throws the wrong password before looking at any file', async () => {
      const dir = await writeEncrypted();
      const progress: VerifyProgress[] = [];
      await assert.rejects(verifyBackup(dir, { level: 'full', password: 'not it', onProgress: (p) => progress.push(p) }), isWrongPasswordError);
      assert.deepEqual(progress, []);
    });

    it('names a file cut short (not whole AES blocks) and a file whose padding no longer holds', async () => {
      const dir = await writeEncrypted();
      const notes = contentPathOf(dir, 'HomeDomain', 'Library/Notes/notes.sqlite');
      await fs.truncate(notes, (await fs.stat(notes)).size - 3);
      // 21 bytes make two blocks; without the last one, the first block's text is read as padding.
      const keychain = contentPathOf(dir, 'KeychainDomain', 'keychain-backup.plist');
      await fs.truncate(keychain, 16);
      const found = lines(await verifyBackup(dir, { level: 'full', password: PASSWORD }));
      assert.deepEqual(found, [
        'HomeDomain/Library/Notes/notes.sqlite: its encrypted content is damaged: its length of 70013 bytes is not a multiple of 16 (the file is truncated).',
        'KeychainDomain/keychain-backup.plist: its encrypted content is damaged: its final block has no valid padding (damaged data or the wrong key).',
      ]);
    });

    it('without the password: the quick check says what it skipped and is healthy; the full check is not', async () => {
      const dir = await writeEncrypted();
      const quick = await verifyBackup(dir, { level: 'quick' });
      assert.equal(quick.healthy, true, lines(quick).join('\n'));
      assert.deepEqual(quick.notChecked, ['Manifest.db was not opened because the backup is encrypted and no password was given.']);
      const full = await verifyBackup(dir, { level: 'full' });
      assert.equal(full.healthy, false);
      assert.deepEqual(full.problems, []);
      assert.equal(full.notChecked?.length, 2);
      // Even without the password, a Manifest.db cut short shows.
      const db = path.join(dir, 'Manifest.db');
      await fs.truncate(db, (await fs.stat(db)).size - 1);
      assert.match(lines(await verifyBackup(dir, { level: 'quick' }))[0], /^Manifest\.db: Manifest\.db is \d+ bytes long, not a whole number of 16-byte AES blocks/);
    });
  });
});
