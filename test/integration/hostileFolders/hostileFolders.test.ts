import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { computeFileId, hashedFilePath } from '../../../src/backup/format/fileId';
import { INFO_PLIST_FILE } from '../../../src/backup/format/infoPlist';
import { MANIFEST_DB_FILE } from '../../../src/backup/format/manifestDb';
import { MANIFEST_PLIST_FILE } from '../../../src/backup/format/manifestPlist';
import { FILES, PASSWORD, writeEncryptedBackup } from '../../builders/encryptedBackupBuilder';
import { runCli, type RunResult } from '../../helpers/simulatorHarness';
import { makeTempDir, writeTestBackup, type TestBackupItem } from '../../builders/testBackupBuilder';

/** Every command must end well within this; a FIFO or an endless query would otherwise never end. */
const BOUNDED_MS = 30_000;

const OUTSIDE_BYTES = 'bytes from outside the backup folder';

/** The CLI's failure contract: exit 1, no stack, every stderr line one sentence. */
function assertCleanFailure(r: RunResult): void {
  assert.equal(r.code, 1, r.stderr);
  assert.ok(!/^\s+at /m.test(r.stderr), `a stack trace leaked:\n${r.stderr}`);
  assert.ok(!r.stderr.includes('Unhandled'), r.stderr);
  // Indented lines are the failure doctor's advice; every other line is one sentence.
  for (const line of r.stderr.trim().split('\n').filter((l) => !l.startsWith('  '))) assert.match(line, /^\S.*[.)]$/, `not one sentence per line:\n${r.stderr}`);
}

/** Every file below a folder, with its content. */
async function filesBelow(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((e) => e.isFile()).map((e) => fs.readFile(path.join(e.parentPath, e.name), 'utf8')));
}

describe('hostile backup folders through the CLI', function () {
  this.timeout(120_000);
  let root: string;
  let out: string;
  const env = { ...process.env, IOSBR_PASSWORD: PASSWORD };

  beforeEach(async function () {
    if (process.platform === 'win32') this.skip();
    root = await makeTempDir('iosbr-hostile-');
    out = path.join(root, 'out');
  });

  afterEach(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const items: TestBackupItem[] = [
    { domain: 'HomeDomain', relativePath: 'Library/good.txt', kind: 'file', content: Buffer.from('good bytes') },
    { domain: 'HomeDomain', relativePath: 'Library/hostile.txt', kind: 'file', content: Buffer.from('replaced below') },
  ];
  const hostileContentPath = (dir: string): string => hashedFilePath(dir, computeFileId('HomeDomain', 'Library/hostile.txt'));

  it('an encrypted backup whose content file is a folder: the other files are extracted, exit 1, one sentence', async () => {
    const dir = await writeEncryptedBackup(root);
    const notes = FILES[0];
    const content = hashedFilePath(dir, computeFileId(notes.domain, notes.relativePath));
    await fs.rm(content);
    await fs.mkdir(content);
    const r = await runCli(['extract', dir, '--out', out], env, { timeoutMs: BOUNDED_MS });
    assertCleanFailure(r);
    assert.match(r.stderr, new RegExp(`${notes.relativePath}.*is a folder, not a file\\.`));
    assert.match(r.stderr, /^1 file could not be extracted/m);
    for (const f of FILES.slice(1)) assert.deepEqual(await fs.readFile(path.join(out, f.domain, f.relativePath)), f.content);
    assert.equal(existsSync(path.join(out, notes.domain, notes.relativePath)), false);
  });

  it('a Manifest.db whose Files is an endless view: ls ends with one sentence', async () => {
    const dir = await writeTestBackup(root, { items: [] });
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(
      `CREATE VIEW Files AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
       SELECT printf('%040x', i) AS fileID, 'HomeDomain' AS domain, 'x' || i AS relativePath, 1 AS flags, NULL AS file FROM n`,
    );
    db.run('CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB)');
    await fs.writeFile(path.join(dir, MANIFEST_DB_FILE), db.export());
    db.close();
    const r = await runCli(['ls', dir], process.env, { timeoutMs: BOUNDED_MS });
    assertCleanFailure(r);
    assert.match(r.stderr, /Files/);
  });

  it('a content file that is a symlink to an outside file is not copied', async () => {
    const dir = await writeTestBackup(root, { items });
    const secret = path.join(root, 'secret.txt');
    await fs.writeFile(secret, OUTSIDE_BYTES);
    const content = hostileContentPath(dir);
    await fs.rm(content);
    await fs.symlink(secret, content);
    const r = await runCli(['extract', dir, '--out', out], process.env, { timeoutMs: BOUNDED_MS });
    assertCleanFailure(r);
    assert.match(r.stderr, /Library\/hostile\.txt/);
    assert.deepEqual(await filesBelow(out), ['good bytes']);
  });

  it('a shard folder that is a symlink to an outside folder is not read through', async () => {
    const dir = await writeTestBackup(root, { items: [items[1]] });
    const content = hostileContentPath(dir);
    const outside = path.join(root, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, path.basename(content)), OUTSIDE_BYTES);
    await fs.rm(path.dirname(content), { recursive: true });
    await fs.symlink(outside, path.dirname(content));
    const r = await runCli(['extract', dir, '--out', out], process.env, { timeoutMs: BOUNDED_MS });
    assertCleanFailure(r);
    assert.deepEqual(await filesBelow(out), []);
  });

  it('a FIFO as a content file: extract ends, exit 1, one sentence; the other files are written', async () => {
    const dir = await writeTestBackup(root, { items });
    const content = hostileContentPath(dir);
    await fs.rm(content);
    execFileSync('mkfifo', [content]);
    const r = await runCli(['extract', dir, '--out', out], process.env, { timeoutMs: BOUNDED_MS });
    assertCleanFailure(r);
    assert.match(r.stderr, /Library\/hostile\.txt.*named pipe \(FIFO\), not a file\./);
    assert.deepEqual(await filesBelow(out), ['good bytes']);
  });

  it('a FIFO as Manifest.plist: ls, extract and verify-password end with one sentence', async () => {
    const dir = await writeTestBackup(root, { items });
    await fs.rm(path.join(dir, MANIFEST_PLIST_FILE));
    execFileSync('mkfifo', [path.join(dir, MANIFEST_PLIST_FILE)]);
    for (const args of [['ls', dir], ['extract', dir, '--out', out], ['verify-password', dir]]) {
      const r = await runCli(args, env, { timeoutMs: BOUNDED_MS });
      assertCleanFailure(r);
      assert.match(r.stderr, /^Cannot read Manifest\.plist because it is a named pipe \(FIFO\), not a file\.$/m);
    }
    assert.deepEqual(await filesBelow(out), []);
  });

  it('a FIFO as Info.plist: backups lists the folder with the problem as a note, in bounded time', async () => {
    const dir = await writeTestBackup(root, { items });
    await fs.rm(path.join(dir, INFO_PLIST_FILE));
    execFileSync('mkfifo', [path.join(dir, INFO_PLIST_FILE)]);
    const r = await runCli(['backups', '--dir', root, '--json'], process.env, { timeoutMs: BOUNDED_MS });
    assert.equal(r.code, 0, r.stderr);
    const [listed] = JSON.parse(r.stdout) as Array<{ dir: string; notes: string[] }>;
    assert.equal(listed.dir, dir);
    assert.ok(listed.notes.includes('Cannot read Info.plist because it is a named pipe (FIFO), not a file.'), listed.notes.join('\n'));
  });
});
