import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FILES, PASSWORD, writeEncryptedBackup } from '../../builders/encryptedBackupBuilder';
import { runCli } from '../../helpers/simulatorHarness';
import { makeTempDir } from '../../builders/testBackupBuilder';

describe('ls and extract on an encrypted backup (CLI)', function () {
  this.timeout(30_000);
  let root: string;
  let dir: string;
  before(async () => {
    root = await makeTempDir('iosbr-encls-');
    dir = await writeEncryptedBackup(root);
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('ls lists the decrypted Manifest.db', async () => {
    const r = await runCli(['ls', dir, '--json'], { ...process.env, IOSBR_PASSWORD: PASSWORD });
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<{ relativePath: string }>;
    assert.deepEqual(rows.map((x) => x.relativePath).sort(), FILES.map((f) => f.relativePath).sort());
  });

  it('extract writes byte-identical plaintext', async () => {
    const out = path.join(root, 'out');
    const r = await runCli(['extract', dir, '--out', out, '--password-stdin'], process.env, { stdin: `${PASSWORD}\n` });
    assert.equal(r.code, 0, r.stderr);
    for (const f of FILES) assert.deepEqual(await fs.readFile(path.join(out, f.domain, f.relativePath)), f.content);
  });

  it('a wrong password: one sentence, exit 1, no output folder created', async () => {
    const out = path.join(root, 'out-wrong');
    const r = await runCli(['extract', dir, '--out', out], { ...process.env, IOSBR_PASSWORD: 'not-it-123' });
    assert.equal(r.code, 1);
    // One sentence; the lines after it are the failure doctor's indented advice.
    const [sentence, ...advice] = r.stderr.trim().split('\n');
    assert.match(sentence, /password is incorrect/);
    assert.ok(advice.every((line) => line.startsWith('  ')), r.stderr);
    assert.ok(!r.stderr.includes('not-it-123'));
    assert.equal(existsSync(out), false);
  });

  it('no password: says the backup is encrypted and how to give the password', async () => {
    const env = { ...process.env };
    delete env.IOSBR_PASSWORD;
    const r = await runCli(['ls', dir], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is encrypted/);
    assert.match(r.stderr, /IOSBR_PASSWORD/);
  });
});
