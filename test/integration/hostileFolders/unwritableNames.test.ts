import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../helpers/simulatorHarness';
import { makeTempDir, writeTestBackup } from '../../builders/testBackupBuilder';

describe('extract skips a name the output folder cannot hold (CLI)', function () {
  this.timeout(60_000);
  let root: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-unwritable-');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('writes every other file, names each one it could not write, and exits 1', async () => {
    // Linux and macOS allow 255 bytes per name; iOS backups can hold longer ones.
    const tooLong = `Library/${'n'.repeat(300)}.txt`;
    const dir = await writeTestBackup(root, {
      items: [
        { domain: 'HomeDomain', relativePath: 'Library/a.txt', kind: 'file', content: Buffer.from('first') },
        { domain: 'HomeDomain', relativePath: tooLong, kind: 'file', content: Buffer.from('long name') },
        // A file where the next entry needs a folder: the later path cannot exist on disk.
        { domain: 'HomeDomain', relativePath: 'Library/c', kind: 'file', content: Buffer.from('c as a file') },
        { domain: 'HomeDomain', relativePath: 'Library/c/inside.txt', kind: 'file', content: Buffer.from('below a file') },
        { domain: 'HomeDomain', relativePath: 'Library/z.txt', kind: 'file', content: Buffer.from('last') },
      ],
    });
    const out = path.join(root, 'out');
    const r = await runCli(['extract', dir, '--out', out], process.env, { timeoutMs: 30_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(!/^\s+at /m.test(r.stderr), r.stderr);
    assert.match(r.stdout, /^Extracted 3 files \(.+\) into .+; 2 skipped\.$/m);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 3, r.stderr);
    // Entries come in path order: "Library/c/…" before "Library/nnn…".
    assert.match(lines[0], /^Not extracted HomeDomain\/Library\/c\/inside\.txt: it could not be written in .+ because (a part of its path is a file where a folder should be|something with that name already exists)\.$/);
    assert.match(lines[1], new RegExp(`^Not extracted HomeDomain/${tooLong}: .*its name or path is longer than the file system allows\\.$`));
    assert.equal(lines[2], '2 files could not be extracted; the lines above say why, and everything else was written.');
    assert.equal(await fs.readFile(path.join(out, 'HomeDomain', 'Library', 'a.txt'), 'utf8'), 'first');
    assert.equal(await fs.readFile(path.join(out, 'HomeDomain', 'Library', 'c'), 'utf8'), 'c as a file');
    assert.equal(await fs.readFile(path.join(out, 'HomeDomain', 'Library', 'z.txt'), 'utf8'), 'last');
    assert.equal(existsSync(path.join(out, 'HomeDomain', 'Library', 'c', 'inside.txt')), false);
  });

  it('an output folder that cannot be created: one sentence naming it, exit 1', async () => {
    const dir = await writeTestBackup(root);
    const blocker = path.join(root, 'a-file');
    await fs.writeFile(blocker, 'not a folder');
    const out = path.join(blocker, 'out');
    const r = await runCli(['extract', dir, '--out', out], process.env, { timeoutMs: 30_000 });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim(), `Cannot extract into ${out} because the folder could not be created: a part of its path is a file where a folder should be.`);
  });

  it('--json reports the failures and also exits 1', async () => {
    const dir = await writeTestBackup(root, {
      items: [
        { domain: 'HomeDomain', relativePath: `Library/${'n'.repeat(300)}`, kind: 'file', content: Buffer.from('x') },
        { domain: 'HomeDomain', relativePath: 'Library/link', kind: 'symlink', target: '/private/var' },
        { domain: 'HomeDomain', relativePath: 'Library/ok.txt', kind: 'file', content: Buffer.from('ok') },
      ],
    });
    const r = await runCli(['extract', dir, '--out', path.join(root, 'out'), '--json'], process.env, { timeoutMs: 30_000 });
    assert.equal(r.code, 1, r.stderr);
    const result = JSON.parse(r.stdout) as { filesWritten: number; skipped: Array<{ relativePath: string; failed: boolean }> };
    assert.equal(result.filesWritten, 1);
    assert.deepEqual(result.skipped.map((s) => [s.relativePath.length > 100 ? 'long' : s.relativePath, s.failed]), [
      ['Library/link', false],
      ['long', true],
    ]);
  });
});
