import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import {
  BackupReader,
  openPlainBackupSource,
  plainBackupSource,
  type BackupContentSource,
  type ExtractProgress,
} from '../../../../src/backup/format/backupReader';
import { computeFileId } from '../../../../src/backup/format/fileId';
import { isEncryptedBackupError } from '../../../../src/backup/format/formatErrors';
import { loadSqlJs } from '../../../../src/backup/format/sqlJsLoader';
import { encodeMbFile } from '../../../../src/backup/format/mbFile';
import { isBackupError, isCancelledError } from '../../../../src/common/errors';
import { makeTempDir, testItems, testManifest, writeTestBackup, type TestBackupItem } from '../../../builders/testBackupBuilder';

describe('backup/format backupReader', () => {
  let root: string;
  let out: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-reader-');
    out = path.join(root, 'out');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function openWith(items: TestBackupItem[]): Promise<BackupReader> {
    return BackupReader.open(await writeTestBackup(root, { items }));
  }

  it('lists entries with sizes and kinds, optionally by domain or path', async () => {
    const reader = await BackupReader.open(await writeTestBackup(root));
    try {
      const all = await reader.listEntries();
      assert.deepEqual(
        all.map((e) => [e.domain, e.relativePath, e.kind, e.size, e.flags]),
        [
          ['HomeDomain', 'Library', 'directory', 0, 2],
          ['HomeDomain', 'Library/Preferences', 'directory', 0, 2],
          ['HomeDomain', 'Library/Preferences/com.apple.foo.plist', 'file', 18, 1],
          ['HomeDomain', 'Library/SMS/sms.db', 'file', 12, 1],
          ['HomeDomain', 'Library/link', 'symlink', 0, 4],
          ['MediaDomain', 'Media/DCIM/100APPLE/IMG_0001.JPG', 'file', 7, 1],
        ],
      );
      assert.equal(all[2].fileID, computeFileId('HomeDomain', 'Library/Preferences/com.apple.foo.plist'));
      assert.equal(all[4].record?.target, '/private/var/mobile');
      assert.deepEqual((await reader.listEntries({ domain: 'MediaDomain' })).map((e) => e.relativePath), ['Media/DCIM/100APPLE/IMG_0001.JPG']);
      assert.deepEqual(
        (await reader.listEntries({ domain: 'HomeDomain', path: 'Library/Preferences/' })).map((e) => e.relativePath),
        ['Library/Preferences', 'Library/Preferences/com.apple.foo.plist'],
      );
      assert.deepEqual(await reader.listEntries({ domain: 'NoSuchDomain' }), []);
    } finally {
      reader.close();
    }
  });

  it('extracts files and folders to <out>/<domain>/<relativePath>', async () => {
    const reader = await BackupReader.open(await writeTestBackup(root));
    const progress: ExtractProgress[] = [];
    try {
      const result = await reader.extract(out, { onProgress: (p) => progress.push(p) });
      assert.equal(result.filesWritten, 3);
      assert.equal(result.directoriesCreated, 2);
      assert.equal(result.bytesWritten, 18 + 12 + 7);
      assert.deepEqual(result.skipped.map((s) => s.relativePath), ['Library/link']);
      assert.match(result.skipped[0].reason, /symlinks are not recreated \(target: \/private\/var\/mobile\)/);
      for (const item of testItems().filter((i) => i.kind === 'file')) {
        assert.deepEqual(await fs.readFile(path.join(out, item.domain, item.relativePath)), item.content);
      }
      const stat = await fs.stat(path.join(out, 'HomeDomain', 'Library/SMS/sms.db'));
      assert.equal(Math.round(stat.mtimeMs / 1000), 1_700_000_100);
      assert.equal(progress.length, 6);
      assert.deepEqual(progress.at(-1)?.entriesDone, 6);
      assert.deepEqual(progress.at(-1)?.entriesTotal, 6);
    } finally {
      reader.close();
    }
  });

  it('extracts only the requested domain and path', async () => {
    const reader = await BackupReader.open(await writeTestBackup(root));
    try {
      const result = await reader.extract(out, { domain: 'HomeDomain', path: 'Library/SMS' });
      assert.equal(result.filesWritten, 1);
      assert.deepEqual(await fs.readdir(out, { recursive: true }), ['HomeDomain', path.join('HomeDomain', 'Library'), path.join('HomeDomain', 'Library', 'SMS'), path.join('HomeDomain', 'Library', 'SMS', 'sms.db')]);
    } finally {
      reader.close();
    }
  });

  it('streams a 5 MB file in chunks and copies it exactly', async () => {
    const big = randomBytes(5 * 1024 * 1024);
    const backupDir = await writeTestBackup(root, { items: [{ domain: 'MediaDomain', relativePath: 'Media/big.mov', kind: 'file', content: big }] });
    let chunks = 0;
    let largestChunk = 0;
    const plain = plainBackupSource(backupDir);
    const counting: BackupContentSource = {
      readManifestDb: () => plain.readManifestDb(),
      openFile: async (entry) => {
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            chunks++;
            largestChunk = Math.max(largestChunk, chunk.length);
            done(null, chunk);
          },
        });
        return (await plain.openFile(entry)).pipe(counter);
      },
    };
    const reader = await BackupReader.open(backupDir, counting);
    try {
      const result = await reader.extract(out);
      assert.equal(result.bytesWritten, big.length);
      const copied = await fs.readFile(path.join(out, 'MediaDomain', 'Media', 'big.mov'));
      assert.equal(createHash('sha256').update(copied).digest('hex'), createHash('sha256').update(big).digest('hex'));
      assert.ok(chunks > 10, `expected many chunks, got ${chunks}`);
      assert.ok(largestChunk <= 1024 * 1024, `a chunk of ${largestChunk} bytes means the file was not streamed`);
    } finally {
      reader.close();
    }
  });

  it('copies every byte on disk when the recorded Size is stale', async () => {
    const content = Buffer.alloc(1000, 0x41);
    const reader = await openWith([
      { domain: 'HomeDomain', relativePath: 'grew.log', kind: 'file', content, recordedSize: 10 },
      { domain: 'HomeDomain', relativePath: 'shrank.log', kind: 'file', content: Buffer.from('abc'), recordedSize: 5000 },
    ]);
    try {
      assert.equal((await reader.listEntries())[0].size, 10);
      const result = await reader.extract(out);
      assert.deepEqual(await fs.readFile(path.join(out, 'HomeDomain', 'grew.log')), content);
      assert.deepEqual(await fs.readFile(path.join(out, 'HomeDomain', 'shrank.log')), Buffer.from('abc'));
      assert.equal(result.bytesWritten, 1003);
    } finally {
      reader.close();
    }
  });

  it('skips entries whose content is missing, writes empty files without content, and refuses escaping paths', async () => {
    const reader = await openWith([
      { domain: 'HomeDomain', relativePath: 'gone.txt', kind: 'file', recordedSize: 5 },
      { domain: 'HomeDomain', relativePath: 'empty.txt', kind: 'file', recordedSize: 0 },
      { domain: 'HomeDomain', relativePath: '../../escape.txt', kind: 'file', content: Buffer.from('x') },
      { domain: '..', relativePath: 'escape2.txt', kind: 'file', content: Buffer.from('x') },
      { domain: 'HomeDomain', relativePath: '/etc/passwd', kind: 'file', content: Buffer.from('x') },
    ]);
    try {
      const result = await reader.extract(out);
      assert.equal(result.filesWritten, 1);
      assert.deepEqual(await fs.readFile(path.join(out, 'HomeDomain', 'empty.txt')), Buffer.alloc(0));
      const reasons = Object.fromEntries(result.skipped.map((s) => [`${s.domain}:${s.relativePath}`, s.reason]));
      assert.equal(reasons['HomeDomain:gone.txt'], 'its content is missing from the backup');
      assert.match(reasons['HomeDomain:../../escape.txt'], /Refused the path "\.\.\/\.\.\/escape\.txt" because it contains a "\.\." segment/);
      assert.match(reasons['..:escape2.txt'], /Refused the path "\.\." because it contains a "\.\." segment/);
      assert.match(reasons['HomeDomain:/etc/passwd'], /Refused the path "\/etc\/passwd" because it is absolute/);
      await assert.rejects(fs.access(path.join(root, 'escape.txt')), { code: 'ENOENT' });
      await assert.rejects(fs.access(path.join(root, 'escape2.txt')), { code: 'ENOENT' });
    } finally {
      reader.close();
    }
  });

  it('skips a row whose fileID would point outside the backup', async () => {
    const dir = await writeTestBackup(root, { items: [] });
    const SQL = await loadSqlJs();
    const raw = new SQL.Database(await fs.readFile(path.join(dir, 'Manifest.db')));
    raw.run('INSERT INTO Files VALUES (?, ?, ?, ?, ?)', ['../../../etc/passwd', 'HomeDomain', 'x.txt', 1, encodeMbFile({ relativePath: 'x.txt', size: 3, mode: 0o100644 })]);
    await fs.writeFile(path.join(dir, 'Manifest.db'), raw.export());
    raw.close();
    const reader = await BackupReader.open(dir);
    try {
      const result = await reader.extract(out);
      assert.equal(result.filesWritten, 0);
      assert.match(result.skipped[0].reason, /fileID is not 40 hexadecimal characters/);
    } finally {
      reader.close();
    }
  });

  it('does not write through a symlink already in the output folder', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    await fs.mkdir(elsewhere);
    await fs.mkdir(path.join(out, 'HomeDomain'), { recursive: true });
    await fs.symlink(elsewhere, path.join(out, 'HomeDomain', 'Library'));
    const reader = await openWith([{ domain: 'HomeDomain', relativePath: 'Library/x.txt', kind: 'file', content: Buffer.from('x') }]);
    try {
      const result = await reader.extract(out);
      assert.equal(result.filesWritten, 0);
      assert.match(result.skipped[0].reason, /through a symlink/);
      assert.deepEqual(await fs.readdir(elsewhere), []);
    } finally {
      reader.close();
    }
  });

  it('refuses content that is not a regular file inside the backup, marks it failed, and extracts the rest', async function () {
    if (process.platform === 'win32') this.skip();
    const names = ['fifo', 'folder', 'inner-link', 'outer-link', 'good'];
    const dir = await writeTestBackup(root, {
      items: names.map((name) => ({ domain: 'HomeDomain', relativePath: name, kind: 'file' as const, content: Buffer.from(`${name} bytes`) })),
    });
    const contentOf = (name: string): string => {
      const fileID = computeFileId('HomeDomain', name);
      return path.join(dir, fileID.slice(0, 2), fileID);
    };
    const outside = path.join(root, 'outside.txt');
    await fs.writeFile(outside, 'outside bytes');
    for (const name of names.slice(0, 4)) await fs.rm(contentOf(name));
    execFileSync('mkfifo', [contentOf('fifo')]);
    await fs.mkdir(contentOf('folder'));
    await fs.symlink(contentOf('good'), contentOf('inner-link'));
    await fs.symlink(outside, contentOf('outer-link'));
    const reader = await BackupReader.open(dir);
    try {
      const result = await reader.extract(out);
      assert.equal(result.filesWritten, 1);
      assert.equal(await fs.readFile(path.join(out, 'HomeDomain', 'good'), 'utf8'), 'good bytes');
      const reasons = Object.fromEntries(result.skipped.map((s) => [s.relativePath, s.reason]));
      assert.ok(result.skipped.every((s) => s.failed));
      assert.match(reasons.fifo, /^Cannot read [0-9a-f]{2}\/[0-9a-f]{40} because it is a named pipe \(FIFO\), not a file\.$/);
      assert.match(reasons.folder, /because it is a folder, not a file\.$/);
      assert.match(reasons['inner-link'], /because it is a symlink/);
      assert.match(reasons['outer-link'], /leaves .* through a symlink/);
      assert.deepEqual((await fs.readdir(path.join(out, 'HomeDomain'))).sort(), ['good']);
    } finally {
      reader.close();
    }
  });

  it('stops with one sentence when the output disk is full, keeping what was written', async function () {
    const disk = path.join(root, 'small-disk');
    await fs.mkdir(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { stdio: 'ignore' });
    } catch {
      this.skip(); // Mounting a small disk needs root on Linux.
    }
    try {
      const reader = await openWith([
        { domain: 'HomeDomain', relativePath: 'a-small', kind: 'file', content: Buffer.from('small') },
        { domain: 'HomeDomain', relativePath: 'b-large', kind: 'file', content: Buffer.alloc(256 * 1024, 1) },
        { domain: 'HomeDomain', relativePath: 'c-after', kind: 'file', content: Buffer.from('after') },
      ]);
      try {
        await assert.rejects(reader.extract(path.join(disk, 'out')), (e: unknown) => {
          assert.ok(isBackupError(e));
          assert.match(e.message, /^Extraction into .* stopped at HomeDomain\/b-large because the disk is full; 1 files were extracted before it\.$/);
          return true;
        });
      } finally {
        reader.close();
      }
      assert.equal(await fs.readFile(path.join(disk, 'out', 'HomeDomain', 'a-small'), 'utf8'), 'small');
      assert.deepEqual(await fs.readdir(path.join(disk, 'out', 'HomeDomain')), ['a-small'], 'the partial file is removed');
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('stops between files when cancelled', async () => {
    const reader = await BackupReader.open(await writeTestBackup(root));
    let cancelled = false;
    const token = { get isCancellationRequested() { return cancelled; }, onCancellationRequested: () => ({ dispose: () => undefined }) };
    try {
      await assert.rejects(
        reader.extract(out, { token, onProgress: (p) => { if (p.entriesDone === 2) cancelled = true; } }),
        (e: unknown) => isCancelledError(e),
      );
    } finally {
      reader.close();
    }
  });

  it('refuses an encrypted backup with a clear error from the plain reader', async () => {
    const dir = await writeTestBackup(root, {
      manifest: { ...testManifest(), isEncrypted: true, backupKeyBag: Buffer.from('keybag'), manifestKey: Buffer.alloc(44) },
    });
    const isEncryptedRefusal = (e: unknown): boolean =>
      isEncryptedBackupError(e) && e.code === 'backup.encrypted' && e.message.includes('this backup is encrypted;') && e.message.includes(dir);
    await assert.rejects(BackupReader.open(dir), isEncryptedRefusal);
    await assert.rejects(openPlainBackupSource(dir), isEncryptedRefusal);
  });

  it('explains ciphertext in Manifest.db when Manifest.plist is missing', async () => {
    const dir = await writeTestBackup(root, { manifest: null });
    await fs.writeFile(path.join(dir, 'Manifest.db'), randomBytes(8192));
    await assert.rejects(BackupReader.open(dir), (e: unknown) => isBackupError(e) && /encrypted Manifest\.db looks like this too/.test(e.message));
  });

  it('reads through any content source, which is how a decrypting reader plugs in', async () => {
    const plainDir = await writeTestBackup(root);
    const plain = plainBackupSource(plainDir);
    const decoding: BackupContentSource = {
      readManifestDb: () => plain.readManifestDb(),
      openFile: async (entry) => Readable.from([Buffer.from(`decoded:${entry.relativePath}`)]),
    };
    const reader = await BackupReader.open(plainDir, decoding);
    try {
      await reader.extract(out, { domain: 'HomeDomain', path: 'Library/SMS/sms.db' });
      assert.equal(await fs.readFile(path.join(out, 'HomeDomain', 'Library', 'SMS', 'sms.db'), 'utf8'), 'decoded:Library/SMS/sms.db');
    } finally {
      reader.close();
    }
  });

  it('lists an entry whose MBFile blob is damaged, with the problem', async () => {
    const dir = await writeTestBackup(root);
    const reader = await BackupReader.open(dir, {
      readManifestDb: async () => {
        const SQL = await loadSqlJs();
        const db = new SQL.Database(await plainBackupSource(dir).readManifestDb());
        db.run('INSERT INTO Files (fileID, domain, relativePath, flags, file) VALUES (?, ?, ?, ?, ?)', [
          computeFileId('HomeDomain', 'broken'),
          'HomeDomain',
          'broken',
          1,
          Buffer.from('junk'),
        ]);
        const bytes = db.export();
        db.close();
        return bytes;
      },
      openFile: () => Promise.reject(Object.assign(new Error('absent'), { code: 'ENOENT' })),
    });
    try {
      const broken = (await reader.listEntries({ path: 'broken' }))[0];
      assert.equal(broken.kind, 'file');
      assert.equal(broken.size, undefined);
      assert.match(broken.recordProblem ?? '', /Cannot read an MBFile record because it is not a property list/);
    } finally {
      reader.close();
    }
  });
});
