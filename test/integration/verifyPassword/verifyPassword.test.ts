import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { PASSWORD, writeEncryptedBackup } from '../../builders/encryptedBackupBuilder';
import { runCli } from '../../helpers/simulatorHarness';
import { makeTempDir } from '../../builders/testBackupBuilder';

describe('verify-password (CLI)', function () {
  this.timeout(30_000);
  let root: string;
  let dir: string;
  before(async () => {
    root = await makeTempDir('iosbr-verify-');
    dir = await writeEncryptedBackup(root);
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('exit 0 with the right password from IOSBR_PASSWORD', async () => {
    const r = await runCli(['verify-password', dir], { ...process.env, IOSBR_PASSWORD: PASSWORD });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD));
  });
  it('exit 0 with the right password on stdin', async () => {
    const r = await runCli(['verify-password', dir, '--password-stdin', '--json'], process.env, { stdin: PASSWORD + '\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { passwordCorrect: boolean }).passwordCorrect, true);
  });
  it('exit 1 with a wrong password, which appears nowhere in the output', async () => {
    const r = await runCli(['verify-password', dir, '--password-stdin'], process.env, { stdin: 'hunter2-wrong\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /does not open/);
    assert.ok(!(r.stdout + r.stderr).includes('hunter2-wrong'));
  });
  it('without a password: usage error plus the forgotten-password guidance', async () => {
    const env = { ...process.env };
    delete env.IOSBR_PASSWORD;
    const r = await runCli(['verify-password', dir], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Reset All Settings/);
  });
  it('a password on the command line is refused', async () => {
    const r = await runCli(['verify-password', dir, `--password=${PASSWORD}`], process.env);
    assert.equal(r.code, 2);
    assert.ok(!r.stderr.includes(PASSWORD));
  });
});
