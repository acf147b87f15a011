import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashedFilePath } from '../../../src/backup/format/fileId';
import { assertNoPasswords, cleanEnv, FAST_KEYBAG, outputOf } from '../../helpers/encryptedDeviceHarness';
import { hasTool, run, runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const PLAIN_UDID = '00008110-000A1B2C3D4E901E';
const ENCRYPTED_UDID = '00008110-000B2C3D4E5F901E';
const PASSWORD = 'verify-Pa55word';

/** One row of `iosbr ls --json`. */
interface ListedFile {
  domain: string;
  relativePath: string;
  kind: string;
  size: number | null;
  fileID: string;
}

/** Debian's idevicebackup2 backs up simulated devices (plain and encrypted); `iosbr verify` checks what it wrote. */
describe('verify on idevicebackup2 backups of simulated devices', function () {
  this.timeout(600_000);
  let h: SimulatorHarness;
  let root: string;
  let env: NodeJS.ProcessEnv;
  const withPassword = (): NodeJS.ProcessEnv => ({ ...env, IOSBR_PASSWORD: PASSWORD });

  before(async function () {
    if (!hasTool('idevicebackup2')) {
      process.stderr.write('    skipped: idevicebackup2 is not installed (Debian package libimobiledevice-utils)\n');
      this.skip();
    }
    h = await startSimulator({
      devices: [
        { udid: PLAIN_UDID, name: 'Plain iPhone', dataset: { files: 80, totalBytes: 800_000, seed: 21 } },
        { udid: ENCRYPTED_UDID, name: 'Encrypted iPhone', backupPassword: PASSWORD, keybagIterations: FAST_KEYBAG, dataset: { files: 80, totalBytes: 800_000, seed: 22 } },
      ],
    });
    env = cleanEnv({ USBMUXD_SOCKET_ADDRESS: h.address });
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-verify-cli-'));
    for (const udid of [PLAIN_UDID, ENCRYPTED_UDID]) {
      const r = await run('idevicebackup2', ['-u', udid, 'backup', '--full', root], env, { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });
  after(async () => {
    if (h) await h.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  /** A copy of a backup to damage, so each case starts from the good one. */
  async function copyOf(udid: string, name: string): Promise<string> {
    const copy = path.join(root, `${name}-${udid}`);
    await fs.cp(path.join(root, udid), copy, { recursive: true });
    return copy;
  }

  /** Files of the backup with content, as `ls --json` lists them (decrypted listing for the encrypted one). */
  async function filesOf(backupDir: string, password?: string): Promise<ListedFile[]> {
    const r = await runCli(['ls', backupDir, '--json'], password === undefined ? env : withPassword());
    assert.equal(r.code, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as ListedFile[]).filter((f) => f.kind === 'file' && (f.size ?? 0) > 100);
    assert.ok(files.length > 10, 'the dataset has files with content');
    return files;
  }

  it('a good plain backup: exit 0, healthy', async () => {
    const r = await runCli(['verify', path.join(root, PLAIN_UDID)], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^The backup is healthy: [\d,]+ files checked \(/m);
  });

  it('a good encrypted backup with its password: exit 0, healthy, the key and padding of every file checked; --json says so', async () => {
    const r = await runCli(['verify', path.join(root, ENCRYPTED_UDID), '--password-stdin'], env, { stdin: `${PASSWORD}\n` });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^The backup is healthy/m);
    assertNoPasswords(outputOf(r), [PASSWORD]);
    const json = await runCli(['verify', path.join(root, ENCRYPTED_UDID), '--json'], withPassword());
    assert.equal(json.code, 0, json.stderr);
    const health = JSON.parse(json.stdout) as { healthy: boolean; encrypted: boolean; filesChecked: number; problems: unknown[] };
    assert.equal(health.healthy, true);
    assert.equal(health.encrypted, true);
    assert.deepEqual(health.problems, []);
    assert.ok(health.filesChecked >= 80, `${health.filesChecked} files checked`);
  });

  for (const [udid, kind] of [[PLAIN_UDID, 'plain'], [ENCRYPTED_UDID, 'encrypted']] as const) {
    it(`a deleted content file in ${kind === 'plain' ? 'a plain' : 'an encrypted'} backup: exit 1 naming its domain and path`, async () => {
      const dir = await copyOf(udid, 'deleted');
      const victim = (await filesOf(dir, kind === 'encrypted' ? PASSWORD : undefined))[3];
      await fs.rm(hashedFilePath(dir, victim.fileID));
      const r = await runCli(['verify', dir], withPassword());
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(problemLines(r.stdout), [`${victim.domain}/${victim.relativePath}: its content file ${victim.fileID.slice(0, 2)}/${victim.fileID} is missing.`]);
      assert.match(r.stdout, /^1 problem found: /m);
    });
  }

  it('a content file replaced by a folder: exit 1 naming its domain and path', async () => {
    const dir = await copyOf(PLAIN_UDID, 'folder');
    const victim = (await filesOf(dir))[5];
    const content = hashedFilePath(dir, victim.fileID);
    await fs.rm(content);
    await fs.mkdir(content);
    const r = await runCli(['verify', dir], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(problemLines(r.stdout), [`${victim.domain}/${victim.relativePath}: its content file ${victim.fileID.slice(0, 2)}/${victim.fileID} is a folder, not a file.`]);
  });

  it('an encrypted file cut short by a few bytes: exit 1 naming its domain and path', async () => {
    const dir = await copyOf(ENCRYPTED_UDID, 'cut');
    const victim = (await filesOf(dir, PASSWORD))[7];
    const content = hashedFilePath(dir, victim.fileID);
    const size = (await fs.stat(content)).size;
    await fs.truncate(content, size - 5);
    const r = await runCli(['verify', dir], withPassword());
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(problemLines(r.stdout), [
      `${victim.domain}/${victim.relativePath}: its encrypted content is damaged: its length of ${size - 5} bytes is not a multiple of 16 (the file is truncated).`,
    ]);
  });

  it('a wrong password: exit 1 with a sentence about the password and no list of files', async () => {
    const r = await runCli(['verify', path.join(root, ENCRYPTED_UDID), '--password-stdin'], env, { stdin: 'not-the-password\n' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^The password does not open this backup, so its files were not checked/m);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  it('an encrypted backup without a password: the full check says it needs one (exit 1); --quick checks the folder (exit 0)', async () => {
    const dir = path.join(root, ENCRYPTED_UDID);
    const full = await runCli(['verify', dir], env);
    assert.equal(full.code, 1, full.stdout + full.stderr);
    assert.match(full.stderr, /is encrypted, and the full check decrypts every file, so it needs the backup password/);
    const quick = await runCli(['verify', dir, '--quick'], env);
    assert.equal(quick.code, 0, quick.stdout + quick.stderr);
    assert.match(quick.stdout, /^not checked: Manifest\.db was not opened because the backup is encrypted and no password was given\.$/m);
    assert.match(quick.stdout, /^The backup is healthy: quick check/m);
  });
});

/** The problem lines of verify's output: everything but the summary and the "not checked" notes. */
function problemLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line !== '' && !/^(The backup is healthy|[\d,]+ problems? found|not checked:|tolerated:)/.test(line));
}
